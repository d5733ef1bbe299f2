// The conmon adapter. One conmon per container: it double-forks away from the agent, runs
// `runc create`, owns the container's stdio (k8s-file log + attach socket), reaps the init
// process and writes its exit code to `<persist-dir>/exit` (containers-here §2.9). conmon's
// results are read and mapped here only.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Clock } from '../../core/util/clock.ts';
import { runcMessage } from './command.ts';
import { ContainerLaunchError } from './errors.ts';
import type { ContainerPaths } from './paths.ts';

/** ConmonLaunch is one container's conmon invocation. */
export interface ConmonLaunch {
  readonly conmonPath: string;
  readonly runcPath: string;
  readonly runcRoot: string;
  readonly id: string;
  readonly paths: ContainerPaths;
  readonly logPath: string;
  readonly stdin: boolean;
  /** conmon restarts the log file once it would pass this many bytes (no limit when absent). */
  readonly logSizeMax?: number;
  readonly clock: Clock;
  readonly timeoutMs: number;
}

/** conmonArgs is conmon's argv for `launch` (api version 1: the sync pipe carries the pid). */
export function conmonArgs(l: ConmonLaunch): string[] {
  const p = l.paths;
  return [
    '--api-version',
    '1',
    ...['--cid', l.id, '--cuuid', l.id, '--name', l.id],
    ...['--runtime', l.runcPath, '--runtime-arg', `--root=${l.runcRoot}`],
    ...['--bundle', p.bundle, '--container-pidfile', p.containerPidFile],
    ...['--conmon-pidfile', p.conmonPidFile, '--persist-dir', p.conmonDir],
    ...['--log-path', `k8s-file:${l.logPath}`],
    ...(l.logSizeMax === undefined ? [] : ['--log-size-max', String(l.logSizeMax)]),
    // the attach socket goes in the bundle dir, with no symlink dir to clean up
    '--full-attach',
    ...(l.stdin ? ['--stdin'] : []),
  ];
}

interface SyncMessage {
  readonly data: number;
  readonly message?: string;
}

// firstLine resolves with the first newline-terminated line, or what arrived before the end.
function firstLine(stream: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buf += chunk;
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    stream.on('end', () => resolve(buf));
    stream.on('error', reject);
  });
}

/**
 * launchConmon starts conmon and resolves with the container's init pid once `runc create`
 * succeeded; the container then waits in `created` for `runc start`. The agent keeps no handle
 * on conmon, so the container outlives the agent.
 */
export async function launchConmon(l: ConmonLaunch): Promise<number> {
  const child = spawn(l.conmonPath, conmonArgs(l), {
    cwd: l.paths.bundle,
    // fd 3 is the sync pipe; conmon's own stderr only matters before it daemonizes
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    env: { PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin', _OCI_SYNCPIPE: '3' },
    detached: true,
  });
  let stderr = '';
  const errStream = child.stdio[2] as Readable;
  errStream.setEncoding('utf8');
  errStream.on('data', (c: string) => (stderr += c));
  const sync = child.stdio[3] as Readable;
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  spawnError.catch(() => undefined); // raced below; a late spawn error must not go unhandled
  const timer = new AbortController();
  const timeout = l.clock
    .sleep(l.timeoutMs, timer.signal)
    .then(() => Promise.reject(new Error(`no answer from conmon in ${l.timeoutMs} ms`)));
  try {
    const line = await Promise.race([firstLine(sync), spawnError, timeout]);
    if (line.trim() === '') {
      throw new Error(`conmon exited without a result: ${stderr.trim() || 'no output'}`);
    }
    const msg = JSON.parse(line) as SyncMessage;
    if (msg.data <= 0) throw new Error(runcMessage(msg.message ?? 'runc create failed'));
    return msg.data;
  } catch (e) {
    throw new ContainerLaunchError(l.id, e instanceof Error ? e.message : String(e));
  } finally {
    timer.abort();
    timeout.catch(() => undefined);
    sync.destroy();
    errStream.destroy();
    child.unref();
  }
}

/** readExitCode is the code conmon recorded, or undefined while the container has not exited. */
export async function readExitCode(paths: ContainerPaths): Promise<number | undefined> {
  try {
    const text = (await readFile(paths.exitFile, 'utf8')).trim();
    const code = Number(text);
    return Number.isInteger(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

/** conmonPid is the pid of the container's conmon if it is still alive. */
export async function conmonPid(paths: ContainerPaths, id: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(paths.conmonPidFile, 'utf8')).trim());
    if (!Number.isInteger(pid) || pid <= 1) return undefined;
    // guard against pid reuse: the process must be conmon for this very container
    const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    return argv.some(a => a.endsWith('conmon')) && argv.includes(id) ? pid : undefined;
  } catch {
    return undefined;
  }
}
