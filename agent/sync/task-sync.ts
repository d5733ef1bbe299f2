// Wiring of the Task side of the agent: an informer on this agent's Tasks (field selector
// spec.agent=<name>), a per-Task serial executor running the reconciler, the exit watcher and the
// isolators' monitors feeding it, recovery before the first pass, and the stand-down of an agent
// marked gone.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Client, SharedInformer } from '../../core/client/index.ts';
import {
  corralKinds,
  makeSharedInformer,
  WITHOUT_MANAGED_FIELDS,
} from '../../core/client/index.ts';
import type { Task } from '../../core/types/task.ts';
import type { Clock } from '../../core/util/clock.ts';
import type { ImageStore } from '../images/index.ts';
import { DiskMonitor } from '../isolation/disk-monitor.ts';
import type { ContainerLimitation } from '../isolation/monitor.ts';
import { PortsMonitor } from '../isolation/ports-monitor.ts';
import type { ContainerRuntime } from '../runtime/types.ts';
import type { KillCause } from '../status/observation.ts';
import { isFinal } from '../status/transitions.ts';
import { TaskStatusWriter } from '../status/writer.ts';
import { ExitWatcher } from './exit-watcher.ts';
import { KeyedExecutor } from './keyed-executor.ts';
import { KillCauses } from './kill-causes.ts';
import type { LaunchDeps } from './launch.ts';
import { LaunchSlots } from './launch-slots.ts';
import type { LocalTask } from './local-tasks.ts';
import { LocalTasks } from './local-tasks.ts';
import { taskContainerId, taskKey } from './names.ts';
import { recoverContainers } from './recovery.ts';
import { Supervisor } from './supervisor.ts';
import { TaskReconciler } from './task-reconciler.ts';

/** TaskSyncOptions configure the Task side of the agent. */
export interface TaskSyncOptions {
  readonly client: Client;
  readonly runtime: ContainerRuntime;
  readonly images: ImageStore;
  readonly launch: LaunchDeps;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly fieldManager: string;
  readonly defaultGraceMs: number;
  readonly portsIntervalMs: number;
  readonly diskIntervalMs: number;
  /** concurrency caps Tasks synced at once (launches, kills). */
  readonly concurrency: number;
  /** launchConcurrency caps container creates and starts at once (within `concurrency`). */
  readonly launchConcurrency: number;
}

/** TaskContainer is where a Task of this agent runs. */
export interface TaskContainer {
  readonly task: Task;
  readonly containerId: string;
}

/** TaskSync runs this agent's Tasks. */
export class TaskSync {
  readonly #o: TaskSyncOptions;
  readonly #informer: SharedInformer<Task>;
  readonly #locals = new LocalTasks();
  readonly #executor: KeyedExecutor;
  readonly #exits: ExitWatcher;
  readonly #ports: PortsMonitor;
  readonly #disk: DiskMonitor;
  readonly #writer: TaskStatusWriter;
  #causes: KillCauses | undefined;
  #standingDown = false;

  constructor(o: TaskSyncOptions) {
    this.#o = o;
    const tasks = o.client.for(corralKinds.tasks);
    this.#writer = new TaskStatusWriter({
      api: tasks,
      clock: o.clock,
      logger: o.logger,
      fieldManager: o.fieldManager,
    });
    this.#informer = makeSharedInformer(tasks, {
      clock: o.clock,
      logger: o.logger,
      fieldSelector: `spec.agent=${o.launch.agentName}`,
      ...WITHOUT_MANAGED_FIELDS,
    });
    this.#exits = new ExitWatcher({
      workDir: o.launch.workDir,
      clock: o.clock,
      onExit: id => this.#touch(id, local => (local.running = false)),
    });
    const onLimitation = (l: ContainerLimitation): void => {
      const cause: KillCause = { kind: 'limitation', ...l };
      const local = this.#locals.byContainer(l.containerId);
      if (local !== undefined) this.#kill(local, cause);
    };
    const onError = (containerId: string, err: unknown): void =>
      o.logger.debug({ container: containerId, err }, 'isolator check failed');
    const monitor = { clock: o.clock, onLimitation, onError };
    this.#ports = new PortsMonitor({ ...monitor, intervalMs: o.portsIntervalMs });
    this.#disk = new DiskMonitor({ ...monitor, intervalMs: o.diskIntervalMs });
    this.#executor = new KeyedExecutor({
      clock: o.clock,
      logger: o.logger,
      concurrency: o.concurrency,
      // the executor starts in run(), after the reconciler is made
      run: (key, signal, priority) =>
        this.#reconciler?.reconcile(key, signal, priority) ?? Promise.resolve({}),
    });
  }

  #reconciler: TaskReconciler | undefined;

  #makeReconciler(causes: KillCauses): TaskReconciler {
    const o = this.#o;
    const supervisor = new Supervisor({
      workDir: o.launch.workDir,
      clock: o.clock,
      logger: o.logger,
      runtime: o.runtime,
      exits: this.#exits,
      ports: this.#ports,
      disk: this.#disk,
      kill: (local, cause) => this.#kill(local, cause),
      changed: local => this.#executor.enqueue(local.key),
    });
    const tasks = o.client.for(corralKinds.tasks);
    return new TaskReconciler({
      cache: this.#informer.cache,
      api: tasks,
      writer: this.#writer,
      runtime: o.runtime,
      images: o.images,
      launch: o.launch,
      locals: this.#locals,
      causes,
      supervisor,
      launchSlots: new LaunchSlots(o.launchConcurrency),
      logger: o.logger,
      fieldManager: o.fieldManager,
      clock: o.clock,
      later: key => this.#executor.enqueue(key, 'low'),
      defaultGraceMs: o.defaultGraceMs,
      standingDown: () => this.#standingDown,
    });
  }

  #touch(containerId: string, change: (local: LocalTask) => void): void {
    const local = this.#locals.byContainer(containerId);
    if (local === undefined) return;
    change(local);
    this.#executor.enqueue(local.key);
  }

  #kill(local: LocalTask, cause: KillCause): void {
    const causes = this.#causes;
    if (causes === undefined || this.#standingDown) return;
    causes.record(local.containerId, cause).then(
      () => this.#executor.enqueue(local.key),
      (err: unknown) => this.#o.logger.error({ task: local.key, err }, 'cannot record kill cause'),
    );
  }

  /**
   * run lists and watches the Tasks, recovers containers, then syncs until `signal` aborts.
   * `ready` resolves once recovery is done and Tasks are being synced.
   */
  async run(signal: AbortSignal, ready?: () => void): Promise<void> {
    const o = this.#o;
    this.#causes = await KillCauses.open(join(o.launch.workDir, 'agent', 'kills'));
    this.#reconciler = this.#makeReconciler(this.#causes);
    const informing = this.#informer.run(signal);
    await this.#informer.waitForSync(signal);
    const report = await recoverContainers({
      runtime: o.runtime,
      cache: this.#informer.cache,
      locals: this.#locals,
      images: o.images,
      causes: this.#causes,
      logger: o.logger,
    });
    o.logger.info({ adopted: report.adopted.length, removed: report.removed.length }, 'recovered');
    const unsubscribe = this.#informer.on({
      add: t => this.#executor.enqueue(taskKey(t)),
      update: (_old, t) => this.#executor.enqueue(taskKey(t)),
      delete: t => this.#executor.enqueue(taskKey(t)),
    });
    this.#executor.start(signal);
    ready?.();
    try {
      await Promise.all([
        informing,
        this.#exits.run(signal),
        this.#ports.run(signal),
        this.#disk.run(signal),
      ]);
    } finally {
      unsubscribe();
      await this.#executor.idle();
    }
  }

  /**
   * standDown is what an agent marked gone does with its Tasks (Mesos: a removed agent kills its
   * tasks): from now on every pass only kills the container (its Task's kill policy) and
   * destroys it, keeping the sandbox; no status, no finalizer, no launch. Every Task the agent
   * knows is queued; resolves once they are all done. Run it before aborting run()'s signal.
   */
  async standDown(): Promise<void> {
    this.#standingDown = true;
    this.#writer.silence();
    const keys = new Set([
      ...this.#locals.all().map(l => l.key),
      // a pass under way for a cached Task may be launching: it runs once more, standing down
      ...this.#informer.cache.list().map(t => taskKey(t)),
    ]);
    for (const key of keys) this.#executor.enqueue(key);
    await this.#executor.idle();
  }

  /** containerOf finds the container of a Task of this agent (undefined: no such Task here). */
  containerOf(namespace: string, name: string): TaskContainer | undefined {
    const task = this.#informer.cache.get({ namespace, name });
    const uid = task?.metadata.uid;
    if (task === undefined || uid === undefined) return undefined;
    return { task, containerId: taskContainerId(uid) };
  }

  /** activeTasks lists this agent's Tasks that have not ended. */
  activeTasks(): Task[] {
    return this.#informer.cache.list().filter(t => !isFinal(t.status));
  }

  /** idle resolves when no Task sync is queued or running (tests, benchmarks). */
  idle(): Promise<void> {
    return this.#executor.idle();
  }
}
