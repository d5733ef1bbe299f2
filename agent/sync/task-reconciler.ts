// The level-based sync of one Task (DESIGN.md flow 5). Each pass reads the Task (informer cache,
// or the agent's own fresher write), the container (runtime) and what the agent noticed (kill
// causes, health), and takes the next step: finalizer → launch → RUNNING → (kill) → terminal
// status → cleanup → finalizer removed. A Task the offer controller launched is created STAGING
// (by the API server) and holding the finalizer, so its first write here is the launch's status;
// only a Task made by hand gets the finalizer first. A pass writes metadata or status, never both;
// the write it makes triggers the next pass through the watch. Once the agent stands down (marked
// gone) a pass only kills and destroys the container.
import type { Logger } from 'pino';
import type { ReadonlyCache } from '../../core/client/index.ts';
import type { Task, TaskStatus } from '../../core/types/task.ts';
import { assertNever } from '../../core/util/assert-never.ts';
import type { Clock } from '../../core/util/clock.ts';
import type { ImageStore } from '../images/index.ts';
import type { ContainerRuntime, ContainerState, ExitStatus } from '../runtime/types.ts';
import { ContainerNotFoundError } from '../runtime/index.ts';
import type { Observation } from '../status/observation.ts';
import { isFinal } from '../status/transitions.ts';
import type { TaskStatusWriter } from '../status/writer.ts';
import type { KillCauses } from './kill-causes.ts';
import type { Priority, SyncResult } from './keyed-executor.ts';
import type { LaunchDeps } from './launch.ts';
import type { LaunchSlots } from './launch-slots.ts';
import { persistentVolumes } from './launch.ts';
import { launchTask } from './launch-task.ts';
import type { LocalTask, LocalTasks, TaskPass } from './local-tasks.ts';
import { REJECTED_ANNOTATION, splitKey } from './names.ts';
import type { TaskMetaApi } from './finalizers.ts';
import { hasFinalizer, setFinalizer } from './finalizers.ts';
import type { Supervisor } from './supervisor.ts';
import { TaskTeardown } from './task-teardown.ts';

/** TaskReconcilerDeps are everything a pass uses. */
export interface TaskReconcilerDeps {
  readonly cache: ReadonlyCache<Task>;
  readonly api: TaskMetaApi;
  readonly writer: TaskStatusWriter;
  readonly runtime: ContainerRuntime;
  readonly images: Pick<ImageStore, 'releaseLease'>;
  readonly launch: LaunchDeps;
  readonly locals: LocalTasks;
  readonly causes: KillCauses;
  readonly supervisor: Supervisor;
  /** launchSlots bound the container creates and starts running at once. */
  readonly launchSlots: LaunchSlots;
  readonly logger: Logger;
  readonly fieldManager: string;
  readonly clock: Clock;
  /** later asks for a low-priority pass of a key (cleanup nobody waits for). */
  readonly later: (key: string) => void;
  /** defaultGraceMs applies to a Task whose kill policy names no grace period (3 s). */
  readonly defaultGraceMs: number;
  /** standingDown is true once the agent was marked gone: passes only kill (TaskSync.standDown). */
  readonly standingDown: () => boolean;
}

const done: SyncResult = {};
// the longest an ended Task's cleanup waits for launches in progress to finish
const CLEANUP_YIELD_MS = 5_000;
// states that mean "the container was running at some point"
const STARTED = new Set(['TASK_RUNNING', 'TASK_KILLING']);

/** TaskReconciler syncs Tasks one pass at a time. */
export class TaskReconciler {
  readonly #d: TaskReconcilerDeps;
  readonly #teardown: TaskTeardown;

  constructor(deps: TaskReconcilerDeps) {
    this.#d = deps;
    this.#teardown = new TaskTeardown(deps);
  }

  /**
   * reconcile runs one pass for the Task under `key` (`namespace/name`). A `low` pass is one
   * asked for by `later`: only it destroys the container of an ended Task, so during a burst of
   * launches that work waits for a quiet moment.
   */
  async reconcile(
    key: string,
    signal: AbortSignal,
    priority: Priority = 'high',
  ): Promise<SyncResult> {
    const d = this.#d;
    if (d.standingDown()) return this.#standDown(key);
    const cached = d.cache.get(splitKey(key));
    const old = d.locals.get(key);
    if (old !== undefined && old.uid !== cached?.metadata.uid) await this.#teardown.forget(old);
    if (cached === undefined) return done;
    if (cached.metadata.annotations?.[REJECTED_ANNOTATION] !== undefined) return done;
    const task = d.writer.latest(cached);
    const local = d.locals.ensure(key, task.metadata.uid ?? '');
    const pass: TaskPass = { task, local, signal };
    if (task.metadata.deletionTimestamp !== undefined) return this.#deleting(pass);
    if (isFinal(task.status)) {
      if (!local.hasContainer) return done;
      if (priority === 'high') {
        d.later(key);
        return done;
      }
      await this.#yieldToLaunches(signal);
      await this.#teardown.cleanup(local, true);
      return done;
    }
    if (!hasFinalizer(task)) {
      const written = await setFinalizer({ api: d.api, task, on: true, opts: this.#write(signal) });
      if (written === undefined) return done;
      d.writer.remember(written);
      // the next pass (the launch) runs now over what the write returned, not after a round
      // trip through the watch and the queue; the write's own event then finds nothing to do
      return this.reconcile(key, signal, priority);
    }
    const state = await this.#state(local);
    if (state === undefined) {
      if (STARTED.has(task.status?.state ?? '')) {
        return this.#end(pass, {
          type: 'vanished',
          containerId: local.containerId,
          message: `container ${local.containerId} is gone (the agent restarted without it)`,
        });
      }
      await launchTask(this.#launchContext(), pass);
      return done;
    }
    return this.#drive(pass, state);
  }

  // #standDown is the whole pass of an agent marked gone: kill and destroy the container (the
  // sandbox stays), write no status and no finalizer, launch nothing. The Task's record (if the
  // same Task still holds the name) gives the kill policy.
  async #standDown(key: string): Promise<SyncResult> {
    const d = this.#d;
    const local = d.locals.get(key);
    if (local === undefined || !local.hasContainer) return done;
    const cached = d.cache.get(splitKey(key));
    const task = cached?.metadata.uid === local.uid ? cached : undefined;
    await this.#teardown.standDown(local, task);
    return done;
  }

  // #yieldToLaunches lets cleanup nobody waits for give way to a burst of launches (runc and the
  // disk are the launches' then), though for CLEANUP_YIELD_MS at most
  async #yieldToLaunches(signal: AbortSignal): Promise<void> {
    const timer = new AbortController();
    const wait = this.#d.clock
      .sleep(CLEANUP_YIELD_MS, AbortSignal.any([signal, timer.signal]))
      .catch(() => signal.throwIfAborted());
    try {
      await Promise.race([this.#d.launchSlots.quiet(), wait]);
    } finally {
      timer.abort();
    }
  }

  #write(signal: AbortSignal) {
    return { signal, fieldManager: this.#d.fieldManager };
  }

  #launchContext() {
    const d = this.#d;
    return {
      deps: d.launch,
      runtime: d.runtime,
      writer: d.writer,
      cache: d.cache,
      supervisor: d.supervisor,
      slots: d.launchSlots,
      clock: d.clock,
      logger: d.logger,
      end: (pass: TaskPass, obs: Observation) => this.#end(pass, obs),
    };
  }

  // #state is the container's state, or undefined when there is none.
  async #state(local: LocalTask): Promise<ContainerState | undefined> {
    // a container being watched is running until the exit watcher says otherwise: no runc call
    if (local.running && local.pid !== undefined) return { status: 'running', pid: local.pid };
    try {
      return await this.#d.runtime.state(local.containerId);
    } catch (e) {
      if (e instanceof ContainerNotFoundError) return undefined;
      throw e;
    }
  }

  async #drive(pass: TaskPass, state: ContainerState): Promise<SyncResult> {
    const { task, local, signal } = pass;
    const d = this.#d;
    const id = local.containerId;
    switch (state.status) {
      case 'created':
        // the agent died between create and start (recovery): start it now
        await d.runtime.start(id);
        local.running = false;
        return this.reconcile(local.key, signal);
      case 'running': {
        const cause = d.causes.get(id);
        if (cause !== undefined) {
          await this.#teardown.kill(pass, cause);
          return this.reconcile(local.key, signal);
        }
        local.running = true;
        local.pid = state.pid;
        local.since ??= d.clock.now();
        local.disks ??= [...(await persistentVolumes(d.launch, task, signal)).values()];
        d.supervisor.supervise(local, task);
        const running = { type: 'running', containerId: id, pid: state.pid } as const;
        await d.writer.observe(task, { ...running, ...optionalHealth(local) }, signal);
        return done;
      }
      case 'exited': {
        const cause = d.causes.get(id);
        return this.#end(pass, {
          type: 'exited',
          containerId: id,
          exit: exitOf(state),
          ...(cause === undefined ? {} : { cause }),
        });
      }
      case 'unknown':
        return this.#end(pass, {
          type: 'exitUnknown',
          containerId: id,
          message: `the container's end was not recorded: ${state.reason}`,
        });
      default:
        return assertNever(state, 'container state');
    }
  }

  // #end writes a terminal status; the container is cleaned up (sandbox kept for the logs) by a
  // later low-priority pass. It stops being watched at once.
  async #end(pass: TaskPass, obs: Observation): Promise<SyncResult> {
    const { task, local } = pass;
    this.#d.supervisor.unsupervise(local);
    local.running = false;
    const written = await this.#d.writer.observe(task, obs);
    if (written === undefined) await this.#teardown.forget(local);
    else if (isFinal(written.status)) this.#d.later(local.key);
    return done;
  }

  async #deleting(pass: TaskPass): Promise<SyncResult> {
    const { task, local, signal } = pass;
    const d = this.#d;
    // not ours to hold: a Task made by hand and deleted before this agent took it
    if (!hasFinalizer(task)) return done;
    if (isFinal(task.status)) {
      await this.#teardown.cleanup(local, false);
      await setFinalizer({ api: d.api, task, on: false, opts: this.#write(signal) });
      d.locals.remove(local);
      d.writer.forget(local.uid);
      return done;
    }
    // no container: killed before it started (a launched Task holds the finalizer from its
    // create, STAGING, so it may be deleted before this agent ever launched it), or lost
    const state = await this.#state(local);
    if (state === undefined || state.status === 'created') {
      if (state !== undefined) await d.runtime.destroy(local.containerId);
      const obs: Observation = neverRan(task.status)
        ? { type: 'killedBeforeLaunch' }
        : {
            type: 'vanished',
            containerId: local.containerId,
            message: 'container gone while deleting',
          };
      await d.writer.observe(task, obs, signal);
      return done;
    }
    if (state.status === 'running') await d.causes.record(local.containerId, { kind: 'deleted' });
    return this.#drive(pass, state);
  }
}

function optionalHealth(local: LocalTask): { healthy?: boolean } {
  return local.healthy === undefined ? {} : { healthy: local.healthy };
}

function neverRan(status: TaskStatus | undefined): boolean {
  return !STARTED.has(status?.state ?? '');
}

function exitOf(s: ExitStatus): ExitStatus {
  return {
    exitCode: s.exitCode,
    oomKilled: s.oomKilled,
    ...(s.signal === undefined ? {} : { signal: s.signal }),
    ...(s.finishedAt === undefined ? {} : { finishedAt: s.finishedAt }),
  };
}
