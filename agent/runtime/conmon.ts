// The conmon adapter. One conmon per container: it double-forks away from the agent, runs
// `runc create`, owns the container's stdio (k8s-file log + attach socket), reaps the init
// process and writes its exit code to `<persist-dir>/exit` (containers-here §2.9). conmon's
// results are read and mapped here only.
import { readFile } from 'node:fs/promises';
import { assertNever } from '../../core/util/assert-never.ts';
import { runcMessage } from './command.ts';
import { ContainerLaunchError } from './errors.ts';
import type { ContainerPaths } from './paths.ts';
import { processSpawner } from './spawner.ts';

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

/**
 * launchConmon starts conmon (from a spawn helper) and resolves with the container's init pid
 * once `runc create` succeeded; the container then waits in `created` for its start. The agent
 * keeps no handle on conmon, so the container outlives the agent.
 */
export async function launchConmon(l: ConmonLaunch): Promise<number> {
  const reply = await processSpawner().submit({
    kind: 'detached',
    bin: l.conmonPath,
    args: conmonArgs(l),
    cwd: l.paths.bundle,
    // conmon reports on fd 3, the sync pipe
    env: { PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin', _OCI_SYNCPIPE: '3' },
    timeoutMs: l.timeoutMs,
  });
  try {
    switch (reply.kind) {
      case 'failed':
        throw new Error(reply.message);
      case 'run':
        throw new Error('unexpected reply to starting conmon');
      case 'detached': {
        if (reply.line.trim() === '') {
          throw new Error(`conmon exited without a result: ${reply.stderr.trim() || 'no output'}`);
        }
        const msg = JSON.parse(reply.line) as SyncMessage;
        if (msg.data <= 0) throw new Error(runcMessage(msg.message ?? 'runc create failed'));
        return msg.data;
      }
      default:
        return assertNever(reply, 'spawn reply');
    }
  } catch (e) {
    throw new ContainerLaunchError(l.id, e instanceof Error ? e.message : String(e));
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
