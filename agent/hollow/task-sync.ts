// The Task side of every hollow agent in the process: one informer on all Tasks (a selector
// cannot say "any of these 5000 agents", and the offer controller puts no agent label on a Task),
// events dispatched by spec.agent to the agents this process owns and others ignored, one
// per-Task serial executor whose concurrency bounds the writes in flight across all agents, and
// one timer queue for the simulated start and run times. Each pass takes one step (task-step.ts)
// and writes through the real agent's finalizer and status code.
import type { Logger } from 'pino';
import type { SharedInformer } from '../../core/client/index.ts';
import type { Task, TaskState } from '../../core/types/task.ts';
import { assertNever } from '../../core/util/assert-never.ts';
import type { Clock } from '../../core/util/clock.ts';
import type { TaskStatusApi } from '../status/writer.ts';
import { TaskStatusWriter } from '../status/writer.ts';
import type { TaskMetaApi } from '../sync/finalizers.ts';
import { setFinalizer } from '../sync/finalizers.ts';
import type { SyncResult } from '../sync/keyed-executor.ts';
import { KeyedExecutor } from '../sync/keyed-executor.ts';
import { splitKey, taskKey } from '../sync/names.ts';
import type { HollowTiming } from './task-step.ts';
import { quieter } from './log.ts';
import { hollowStep } from './task-step.ts';
import { TimerQueue } from '../../core/util/timer-queue.ts';

/** HollowTaskSyncOptions wire the Task side of the hollow agents. */
export interface HollowTaskSyncOptions {
  /** informer on every Task of the cluster (the caller runs it). */
  readonly informer: SharedInformer<Task>;
  readonly api: TaskStatusApi & TaskMetaApi;
  /** owns tells whether an agent name is one of this process's hollow agents. */
  readonly owns: (agent: string) => boolean;
  readonly timing: HollowTiming;
  /** concurrency caps passes in flight, hence writes (each pass makes at most one). */
  readonly concurrency: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly fieldManager: string;
}

const done: SyncResult = {};

/** HollowTaskSync moves the hollow agents' Tasks through their states. */
export class HollowTaskSync {
  readonly #o: HollowTaskSyncOptions;
  readonly #writer: TaskStatusWriter;
  readonly #executor: KeyedExecutor;
  readonly #timers: TimerQueue;
  readonly #reached = new Map<TaskState, number>();

  constructor(o: HollowTaskSyncOptions) {
    this.#o = o;
    this.#writer = new TaskStatusWriter({
      api: o.api,
      clock: o.clock,
      logger: quieter(o.logger), // a line per transition of thousands of Tasks
      fieldManager: o.fieldManager,
    });
    this.#timers = new TimerQueue(o.clock);
    this.#executor = new KeyedExecutor({
      clock: o.clock,
      logger: o.logger,
      concurrency: o.concurrency,
      run: (key, signal) => this.#reconcile(key, signal),
    });
  }

  /** reached counts the states written, by state (benchmarks, the stop log). */
  reached(): Partial<Record<TaskState, number>> {
    return Object.fromEntries(this.#reached);
  }

  /** run syncs the hollow agents' Tasks until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const { informer, owns } = this.#o;
    const mine = (t: Task): boolean => owns(t.spec.agent);
    const sync = (t: Task): void => {
      if (mine(t)) this.#executor.enqueue(taskKey(t));
    };
    const unsubscribe = informer.on({
      add: sync,
      update: (_old, t) => sync(t),
      delete: t => {
        if (!mine(t)) return;
        this.#writer.forget(t.metadata.uid ?? '');
        this.#timers.cancel(taskKey(t));
      },
    });
    this.#executor.start(signal);
    try {
      await this.#timers.run(signal, key => this.#executor.enqueue(key));
    } finally {
      unsubscribe();
      await this.#executor.idle();
    }
  }

  /** idle resolves when no pass is queued or running (tests, benchmarks). */
  idle(): Promise<void> {
    return this.#executor.idle();
  }

  async #reconcile(key: string, signal: AbortSignal): Promise<SyncResult> {
    const o = this.#o;
    const cached = o.informer.cache.get(splitKey(key));
    if (cached === undefined || !o.owns(cached.spec.agent)) return done;
    const task = this.#writer.latest(cached);
    const step = hollowStep(task, o.clock.now(), o.timing);
    // a deadline set by an earlier pass (a start or run time) is moot once the Task moved on
    if (step.kind !== 'wait') this.#timers.cancel(key);
    switch (step.kind) {
      case 'none':
        return done;
      case 'wait':
        this.#timers.at(key, step.untilMs);
        return done;
      case 'finalizer': {
        const opts = { signal, fieldManager: o.fieldManager };
        const written = await setFinalizer({ api: o.api, task, on: step.on, opts });
        // taking it off lets the record go; its delete event cleans up
        if (!step.on || written === undefined || written === task) return done;
        this.#writer.remember(written);
        break;
      }
      case 'observe': {
        const written = await this.#writer.observe(task, step.obs, signal);
        if (written === undefined || written === task) return done; // gone, or nothing written
        const state = written.status?.state;
        if (state !== undefined && state !== task.status?.state) {
          this.#reached.set(state, (this.#reached.get(state) ?? 0) + 1);
        }
        break;
      }
      default:
        return assertNever(step, 'hollow step');
    }
    // the next step may be due at once (no start delay): take it from our own write, without
    // waiting for the watch to bring it back
    this.#executor.enqueue(key);
    return done;
  }
}
