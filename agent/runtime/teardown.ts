// kill() and destroy(). Stop = signal → grace period → SIGKILL → `runc delete` (containers-here
// §2.7: a pid-namespace init ignores SIGTERM unless it handles it, so the SIGKILL is not
// optional). Destroy then removes what runc leaves: the overlay mount, cgroup parents, files.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../core/util/clock.ts';
import type { CgroupMounts } from './cgroup-fs.ts';
import { CgroupReader, removeCgroups } from './cgroup-fs.ts';
import { conmonPid } from './conmon.ts';
import { observeState } from './container-state.ts';
import { readRecord } from './container-store.ts';
import { RuntimeCommandError } from './errors.ts';
import { cgroupsPath, containerPaths } from './paths.ts';
import { mountPointsUnder, unmountAll } from './rootfs.ts';
import type { RuncCli } from './runc-cli.ts';
import type { ContainerState, KillOptions } from './types.ts';

const POLL_MS = 50;

/** TeardownContext is the runtime's configuration as kill() and destroy() need it. */
export interface TeardownContext {
  readonly agentId: string;
  readonly workDir: string;
  readonly runc: RuncCli;
  readonly clock: Clock;
  readonly cgroupMounts: CgroupMounts;
  /** How long to wait for the exit after SIGKILL before giving up. */
  readonly killTimeoutMs: number;
}

/** observe is observeState for a container id under this context. */
export function observe(ctx: TeardownContext, id: string): Promise<ContainerState> {
  const cgroup = new CgroupReader(ctx.cgroupMounts, cgroupsPath(ctx.agentId, id));
  const deps = { runc: ctx.runc, clock: ctx.clock, cgroup };
  return observeState(deps, id, containerPaths(ctx.workDir, id));
}

// ended waits up to `ms` for the container to stop running; true once it has.
async function ended(ctx: TeardownContext, id: string, ms: number): Promise<boolean> {
  const deadline = ctx.clock.now() + ms;
  for (;;) {
    const s = await observe(ctx, id);
    if (s.status === 'exited' || s.status === 'unknown') return true;
    if (ctx.clock.now() >= deadline) return false;
    await ctx.clock.sleep(POLL_MS);
  }
}

/** stopContainer is kill(): a no-op for a container runc no longer knows. */
export async function stopContainer(
  ctx: TeardownContext,
  id: string,
  options: KillOptions,
): Promise<void> {
  if (!(await ctx.runc.knows(id))) return;
  const first = await observe(ctx, id);
  if (first.status === 'running') {
    const signal = options.signal ?? 'SIGTERM';
    const gone =
      signal !== 'SIGKILL' &&
      (await ctx.runc.kill(id, signal)) &&
      (await ended(ctx, id, Math.max(0, options.gracePeriodMs)));
    if (!gone) {
      await ctx.runc.kill(id, 'SIGKILL');
      if (!(await ended(ctx, id, ctx.killTimeoutMs))) {
        throw new RuntimeCommandError(`kill ${id}`, null, 'still running after SIGKILL');
      }
    }
  }
  // a created container's init is runc's, waiting to exec the task: --force kills it
  await ctx.runc.delete(id, first.status === 'created');
}

/**
 * removeContainer is destroy(): stop, delete, kill a lingering conmon, unmount, remove the cgroup
 * dirs and the container dir. The sandbox stays when asked, and always when the caller supplied
 * it (it is theirs). Files are only removed once nothing is mounted below the container dir.
 */
export async function removeContainer(
  ctx: TeardownContext,
  id: string,
  keepSandbox: boolean,
): Promise<void> {
  const paths = containerPaths(ctx.workDir, id);
  const record = await readRecord(paths);
  await stopContainer(ctx, id, { gracePeriodMs: 0, signal: 'SIGKILL' });
  // conmon exits by itself once the container is reaped; one still here is stuck
  const pid = await conmonPid(paths, id);
  if (pid !== undefined) process.kill(pid, 'SIGKILL');
  await unmountAll(paths.dir);
  await removeCgroups(ctx.cgroupMounts, cgroupsPath(ctx.agentId, id));
  const left = await mountPointsUnder(paths.dir);
  if (left.length > 0) {
    throw new RuntimeCommandError(`destroy ${id}`, null, `still mounted: ${left.join(', ')}`);
  }
  if (keepSandbox && record?.ownSandbox !== false) {
    const entries = await readdir(paths.dir).catch(() => [] as string[]);
    for (const e of entries.filter(n => join(paths.dir, n) !== paths.defaultSandbox)) {
      await rm(join(paths.dir, e), { recursive: true, force: true });
    }
    return;
  }
  await rm(paths.dir, { recursive: true, force: true });
}
