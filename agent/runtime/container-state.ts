// A container's state from three witnesses: result.json (our own memory of its end), conmon's
// exit file (written when the init process is reaped, even while the agent is down) and
// `runc state`. The first seen exit is written to result.json together with the OOM verdict,
// which is read while the cgroup still exists (runc delete removes it).
import { stat } from 'node:fs/promises';
import { constants } from 'node:os';
import type { Clock } from '../../core/util/clock.ts';
import { assertNever } from '../../core/util/assert-never.ts';
import type { CgroupReader } from './cgroup-fs.ts';
import { conmonPid, readExitCode } from './conmon.ts';
import { readResult, writeResult } from './container-store.ts';
import type { ContainerPaths } from './paths.ts';
import type { RuncCli } from './runc-cli.ts';
import type { ContainerState, ExitStatus } from './types.ts';

// conmon writes the exit file right after reaping init, but only once it has drained the stdio
// pipes; a stopped container without one is given this long before it is called unknown.
const EXIT_FILE_GRACE_MS = 2_000;
const POLL_MS = 50;

/** signalOf decodes conmon's 128+N convention for "killed by signal N" (as shells do). */
export function signalOf(exitCode: number): NodeJS.Signals | undefined {
  if (exitCode <= 128) return undefined;
  const n = exitCode - 128;
  const entry = Object.entries(constants.signals).find(([, v]) => v === n);
  return entry === undefined ? undefined : (entry[0] as NodeJS.Signals);
}

/** exitStatusOf builds an ExitStatus from conmon's code. */
export function exitStatusOf(code: number, oomKilled: boolean, finishedAt?: string): ExitStatus {
  const signal = signalOf(code);
  return {
    exitCode: code,
    ...(signal === undefined ? {} : { signal }),
    oomKilled,
    ...(finishedAt === undefined ? {} : { finishedAt }),
  };
}

/** StateDeps are what observing a container needs. */
export interface StateDeps {
  readonly runc: RuncCli;
  readonly clock: Clock;
  readonly cgroup: CgroupReader;
}

async function fileTime(path: string): Promise<string | undefined> {
  return stat(path).then(
    s => s.mtime.toISOString(),
    () => undefined,
  );
}

async function oomKilled(deps: StateDeps, paths: ContainerPaths): Promise<boolean> {
  // conmon's eventfd watcher may lose the race with the exit; the kernel counter does not
  if ((await fileTime(paths.oomFile)) !== undefined) return true;
  return (await deps.cgroup.oomKills().catch(() => 0)) > 0;
}

// finish records the end the first time it is seen and returns it.
async function finish(deps: StateDeps, paths: ContainerPaths, code: number): Promise<ExitStatus> {
  const status = exitStatusOf(code, await oomKilled(deps, paths), await fileTime(paths.exitFile));
  await writeResult(paths, status);
  return status;
}

async function awaitExitFile(deps: StateDeps, paths: ContainerPaths, id: string) {
  const deadline = deps.clock.now() + EXIT_FILE_GRACE_MS;
  for (;;) {
    const code = await readExitCode(paths);
    if (code !== undefined) return code;
    if ((await conmonPid(paths, id)) === undefined) return readExitCode(paths);
    if (deps.clock.now() >= deadline) return undefined;
    await deps.clock.sleep(POLL_MS);
  }
}

/** observeState reports the container's state, recording its end once it is known. */
export async function observeState(
  deps: StateDeps,
  id: string,
  paths: ContainerPaths,
): Promise<ContainerState> {
  const done = await readResult(paths);
  if (done !== undefined) return { status: 'exited', ...done };
  const code = await readExitCode(paths);
  if (code !== undefined) return { status: 'exited', ...(await finish(deps, paths, code)) };
  const rs = await deps.runc.state(id);
  const status = rs?.status ?? 'stopped';
  switch (status) {
    case 'creating':
    case 'created':
      return { status: 'created', pid: rs?.pid ?? 0 };
    case 'running':
    case 'paused':
      return { status: 'running', pid: rs?.pid ?? 0 };
    case 'stopped': {
      const late = await awaitExitFile(deps, paths, id);
      if (late !== undefined) return { status: 'exited', ...(await finish(deps, paths, late)) };
      const why = rs === undefined ? 'runc does not know it' : 'runc says stopped';
      return { status: 'unknown', reason: `${why} and conmon recorded no exit code` };
    }
    default:
      return assertNever(status, 'runc status');
  }
}
