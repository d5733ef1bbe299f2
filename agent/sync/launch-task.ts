// One launch: TASK_STARTING (only ahead of slow work), prepare (launch.ts), create and start (in
// a launch slot), TASK_RUNNING. A failure at any step ends the Task with TASK_FAILED /
// REASON_CONTAINER_LAUNCH_FAILED and the runtime's or the isolator's message; a Task deleted
// while it was being prepared is left to the deletion pass (TASK_KILLED,
// REASON_TASK_KILLED_DURING_LAUNCH) before anything is created.
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { ReadonlyCache } from '../../core/client/index.ts';
import type { Task } from '../../core/types/task.ts';
import type { Clock } from '../../core/util/clock.ts';
import { containerPaths } from '../runtime/index.ts';
import type { ContainerRuntime } from '../runtime/types.ts';
import type { Observation } from '../status/observation.ts';
import { isFinal } from '../status/transitions.ts';
import type { TaskStatusWriter } from '../status/writer.ts';
import type { SyncResult } from './keyed-executor.ts';
import type { LaunchDeps, PreparedTask } from './launch.ts';
import { prepareTask } from './launch.ts';
import type { LaunchSlots } from './launch-slots.ts';
import type { LocalTask, TaskPass } from './local-tasks.ts';
import { splitKey } from './names.ts';
import type { Supervisor } from './supervisor.ts';

/** LaunchContext is what a launch needs of the reconciler. */
export interface LaunchContext {
  readonly deps: LaunchDeps;
  readonly runtime: ContainerRuntime;
  readonly writer: TaskStatusWriter;
  readonly cache: ReadonlyCache<Task>;
  readonly supervisor: Supervisor;
  /** slots bound the creates and starts running at once. */
  readonly slots: LaunchSlots;
  readonly clock: Clock;
  readonly logger: Logger;
  /** end writes a terminal status and cleans up. */
  readonly end: (pass: TaskPass, obs: Observation) => Promise<SyncResult>;
}

function why(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function deletedMeanwhile(ctx: LaunchContext, local: LocalTask): boolean {
  const now = ctx.cache.get(splitKey(local.key));
  return now?.metadata.uid !== local.uid || now.metadata.deletionTimestamp !== undefined;
}

// startedPid is the init's pid from the pid file `runc create` wrote (no `runc state` process):
// the start succeeded, so the process runs or has just ended, which the exit watcher notices.
async function startedPid(ctx: LaunchContext, id: string): Promise<number> {
  const path = containerPaths(ctx.deps.workDir, id).containerPidFile;
  const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
  return Number.isInteger(pid) && pid > 1 ? pid : 0;
}

/**
 * slowStart is true when the launch has slow work ahead (URIs to fetch, an image to pull), worth
 * a TASK_STARTING first. Otherwise the container runs about as soon as that write would land, so
 * RUNNING (or FAILED) is the first status the agent writes: Mesos does not promise STARTING
 * either, many executors go from STAGING straight to RUNNING.
 */
export async function slowStart(deps: LaunchDeps, task: Task): Promise<boolean> {
  if ((task.spec.command?.uris ?? []).length > 0) return true;
  const image = task.spec.image;
  return image !== undefined && (await deps.images.resolve(image)) === undefined;
}

/** launchTask launches the container of a Task that has none. */
export async function launchTask(ctx: LaunchContext, pass: TaskPass): Promise<void> {
  const { task, local, signal } = pass;
  const id = local.containerId;
  const t0 = ctx.clock.now();
  // current is the Task as the agent last wrote or read it
  let current = task;
  if (await slowStart(ctx.deps, task)) {
    const written = await ctx.writer.observe(task, { type: 'starting' }, signal);
    if (written === undefined || isFinal(written.status)) return;
    current = written;
  }
  local.hasContainer = true; // from here on a failure may leave a sandbox or an image lease
  const failed = async (step: string, e: unknown): Promise<void> => {
    if (signal.aborted) throw e;
    const obs = { type: 'launchFailed', containerId: id, message: `${step}: ${why(e)}` } as const;
    await ctx.end({ ...pass, task: current }, obs);
  };
  const t1 = ctx.clock.now();
  let prepared: PreparedTask;
  try {
    prepared = await prepareTask(ctx.deps, { task: current, containerId: id, signal });
  } catch (e) {
    await failed('Failed to prepare the container', e);
    return;
  }
  if (deletedMeanwhile(ctx, local)) return;
  const t2 = ctx.clock.now();
  const failure = await ctx.slots.run(async () => {
    try {
      await ctx.runtime.create(prepared.container);
    } catch (e) {
      return { step: 'Failed to create the container', e };
    }
    local.disks = prepared.disks;
    try {
      await ctx.runtime.start(id);
    } catch (e) {
      return { step: 'Failed to start the container', e };
    }
    return undefined;
  }, signal);
  if (failure !== undefined) {
    await failed(failure.step, failure.e);
    return;
  }
  local.since = ctx.clock.now();
  const t3 = ctx.clock.now();
  const pid = await startedPid(ctx, id);
  local.running = true;
  local.pid = pid;
  ctx.supervisor.supervise(local, current);
  // RUNNING even for a process that already ended: frameworks see RUNNING before the end
  await ctx.writer.observe(current, { type: 'running', containerId: id, pid }, signal);
  const ms = { startingMs: t1 - t0, prepareMs: t2 - t1, createStartMs: t3 - t2 };
  ctx.logger.debug({ task: local.key, ...ms, totalMs: ctx.clock.now() - t0 }, 'task launched');
}
