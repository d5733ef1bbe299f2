// The destructive half of a Task's sync: killing its container for a cause, destroying it after
// the end, forgetting a Task whose record is gone, and standing down (agent marked gone). Every
// step is idempotent, so a pass that is retried (or an agent that restarted midway) simply does
// it again.
import type { Logger } from 'pino';
import type { Task } from '../../core/types/task.ts';
import type { ImageStore } from '../images/index.ts';
import type { ContainerRuntime } from '../runtime/types.ts';
import type { KillCause } from '../status/observation.ts';
import type { TaskStatusWriter } from '../status/writer.ts';
import type { KillCauses } from './kill-causes.ts';
import type { LocalTask, LocalTasks, TaskPass } from './local-tasks.ts';
import type { Supervisor } from './supervisor.ts';

/** TaskTeardownDeps are what teardown touches. */
export interface TaskTeardownDeps {
  readonly runtime: ContainerRuntime;
  readonly images: Pick<ImageStore, 'releaseLease'>;
  readonly writer: TaskStatusWriter;
  readonly locals: LocalTasks;
  readonly causes: KillCauses;
  readonly supervisor: Supervisor;
  readonly logger: Logger;
  readonly defaultGraceMs: number;
}

/** TaskTeardown kills and cleans up Task containers. */
export class TaskTeardown {
  readonly #d: TaskTeardownDeps;

  constructor(deps: TaskTeardownDeps) {
    this.#d = deps;
  }

  /**
   * kill stops a running container for `cause`: TASK_KILLING first when the framework (or a failed
   * health check) asked for it, then the kill policy's signal and grace period; a broken limit is
   * killed at once, as Mesos destroys the container.
   */
  async kill(pass: TaskPass, cause: KillCause): Promise<void> {
    const { task, local, signal } = pass;
    const d = this.#d;
    if (cause.kind === 'deleted' || cause.kind === 'unhealthy') {
      await d.writer.observe(task, { type: 'killing', containerId: local.containerId }, signal);
    }
    await this.#killContainer(local, task, cause.kind);
  }

  /**
   * standDown kills `local`'s container with its Task's kill policy (the default grace when the
   * record is gone) and destroys it, keeping the sandbox: an agent marked gone writes nothing.
   */
  async standDown(local: LocalTask, task: Task | undefined): Promise<void> {
    this.#d.supervisor.unsupervise(local);
    await this.#killContainer(local, task, 'agentGone');
    await this.cleanup(local, true);
  }

  // #killContainer: the kill policy's signal, then SIGKILL after its grace (none for a broken
  // limit, which Mesos destroys at once)
  async #killContainer(
    local: LocalTask,
    task: Task | undefined,
    why: KillCause['kind'] | 'agentGone',
  ): Promise<void> {
    const d = this.#d;
    const policy = task?.spec.killPolicy;
    const grace =
      why === 'limitation'
        ? 0
        : policy?.gracePeriodSeconds === undefined
          ? d.defaultGraceMs
          : policy.gracePeriodSeconds * 1000;
    d.logger.info({ task: local.key, cause: why, graceMs: grace }, 'killing task container');
    await d.runtime.kill(local.containerId, {
      gracePeriodMs: grace,
      ...(policy?.signal === undefined ? {} : { signal: policy.signal }),
    });
    local.running = false;
  }

  /**
   * cleanup destroys the container (keeping the sandbox with its log unless the Task is being
   * deleted), releases its image and forgets its kill cause.
   */
  async cleanup(local: LocalTask, keepSandbox: boolean): Promise<void> {
    const d = this.#d;
    d.supervisor.unsupervise(local);
    local.running = false;
    // the sandbox of a deleted Task goes too, even if this process never saw its container
    if (keepSandbox && !local.hasContainer) return;
    await d.runtime.destroy(local.containerId, { keepSandbox });
    await d.images.releaseLease(local.containerId);
    await d.causes.clear(local.containerId);
    local.hasContainer = false;
  }

  /** forget cleans up after a Task whose record is gone (or was replaced under its name). */
  async forget(local: LocalTask): Promise<void> {
    await this.cleanup(local, false);
    this.#d.locals.remove(local);
    this.#d.writer.forget(local.uid);
    this.#d.logger.info({ task: local.key, uid: local.uid }, 'task gone; container removed');
  }
}
