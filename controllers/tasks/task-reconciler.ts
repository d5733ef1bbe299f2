// The task controller (mesos-features §5.4, §5.5; DESIGN.md flow 5). The agent owns a Task's
// status while it is reachable; this controller writes it only when the agent cannot:
//   1. agent marked gone: TASK_GONE_BY_OPERATOR (TASK_LOST if not partition-aware), then the
//      agent's finalizer is released, since that agent will never clean up; an Agent object that
//      no longer exists (deleted outright) counts as gone once its absence and the Task are older
//      than a grace period (missing-agents.ts), as PodGC treats the pods of a deleted node;
//   2. agent unreachable: TASK_UNREACHABLE (TASK_LOST if not partition-aware) for tasks whose last
//      state predates the loss; a state the agent wrote after it is left alone, and when the agent
//      comes back it reports its tasks again (they are not killed, MESOS-7215);
//   3. framework gone for longer than its failover timeout: the task is deleted (killed);
//   4. a stand-in that reported a refused launch (stand-ins.ts) is deleted after the retention.
// A pass makes one write; the event it causes brings the next pass.
import type { Logger } from 'pino';
import type {
  CallOptions,
  DeleteOptions,
  ObjectKey,
  ReadonlyCache,
  WriteOptions,
} from '../../core/client/index.ts';
import type { Agent, Framework, Task, TaskStatus } from '../../core/types/index.ts';
import { AGENT_FINALIZER } from '../../core/types/index.ts';
import { assertNever } from '../../core/util/assert-never.ts';
import type { Clock } from '../../core/util/clock.ts';
import { isoTime, setCondition } from '../agents/conditions.ts';
import { agentHealth } from '../agents/health.ts';
import { REJECTED_ANNOTATION } from '../../core/framework/index.ts';
import type { Reconciler, Request, Result } from '../runtime/index.ts';
import { done } from '../runtime/index.ts';
import type { FrameworkMemory } from './framework-memory.ts';
import { frameworkLoss } from './framework-loss.ts';
import { DEFAULT_MISSING_AGENT_GRACE_MS, MissingAgents } from './missing-agents.ts';
import { DEFAULT_STAND_IN_RETENTION_MS, collectStandIn, isStandIn } from './stand-ins.ts';
import type { LossKind } from './task-states.ts';
import {
  isFinalTaskStatus,
  isPartitionAware,
  isProvisionalLost,
  lossState,
} from './task-states.ts';

/** TaskApi is what the controller writes: the typed Task client fits. */
export interface TaskApi {
  get(key: ObjectKey, opts?: CallOptions): Promise<Task>;
  update(obj: Task, opts?: WriteOptions): Promise<Task>;
  updateStatus(obj: Task, opts?: WriteOptions): Promise<Task>;
  delete(key: ObjectKey, opts?: DeleteOptions): Promise<void>;
}

/** TaskControllerOptions wire the reconciler. */
export interface TaskControllerOptions {
  readonly tasks: ReadonlyCache<Task>;
  readonly agents: ReadonlyCache<Agent>;
  readonly frameworks: ReadonlyCache<Framework>;
  readonly memory: FrameworkMemory;
  readonly api: TaskApi;
  readonly clock: Clock;
  readonly logger: Logger;
  /** standInRetentionMs keeps a refused launch's stand-in this long (15 min by default). */
  readonly standInRetentionMs?: number;
  /** missingAgentGraceMs is how long an Agent must be missing before its Tasks are settled (30 s). */
  readonly missingAgentGraceMs?: number;
  /**
   * agentsSynced is false until the Agents cache holds the whole list, when a missing Agent
   * proves nothing (the Controller waits for its sources anyway); always synced if absent.
   */
  readonly agentsSynced?: () => boolean;
}

// Why the agent will never clean up after its tasks.
type AgentEnd = 'marked-gone' | 'deleted';

const FIELD_MANAGER = 'corral-task-controller';

/** TaskReconciler keeps one Task consistent with its agent's health and its framework's life. */
export class TaskReconciler implements Reconciler {
  readonly #o: TaskControllerOptions;
  readonly #missing: MissingAgents;

  constructor(options: TaskControllerOptions) {
    this.#o = options;
    this.#missing = new MissingAgents(
      options.clock,
      options.missingAgentGraceMs ?? DEFAULT_MISSING_AGENT_GRACE_MS,
    );
  }

  /** reconcile takes the next step for the Task, if any. */
  async reconcile(req: Request, signal: AbortSignal): Promise<Result> {
    const { tasks, agents, frameworks } = this.#o;
    const task = tasks.get(req);
    if (task === undefined) return done;
    if (isStandIn(task)) {
      const retentionMs = this.#o.standInRetentionMs ?? DEFAULT_STAND_IN_RETENTION_MS;
      return collectStandIn({ ...this.#o, task, retentionMs, signal });
    }
    const framework = frameworks.get({ namespace: req.namespace, name: task.spec.framework });
    let agentSide: Result = done;
    if (task.metadata.annotations?.[REJECTED_ANNOTATION] === undefined) {
      const health = agentHealth(agents.get({ name: task.spec.agent }));
      if (health.kind !== 'unknown') this.#missing.present(task.spec.agent);
      switch (health.kind) {
        case 'gone':
          if (await this.#gone(task, framework, 'marked-gone', signal)) return done;
          break;
        case 'unreachable':
          if (await this.#unreachable(task, framework, health.since, signal)) return done;
          break;
        case 'unknown': {
          const step = await this.#missingAgent(task, framework, signal);
          if (step === 'wrote') return done;
          agentSide = step;
          break;
        }
        case 'reachable':
          break;
        default:
          return assertNever(health, 'agent health');
      }
    }
    return soonest(agentSide, await frameworkLoss({ ...this.#o, task, framework, signal }));
  }

  // #missingAgent treats a task whose Agent does not exist as one on a gone agent, once the
  // grace has passed; a task with nothing left to settle is not waited for.
  async #missingAgent(
    task: Task,
    framework: Framework | undefined,
    signal: AbortSignal,
  ): Promise<Result | 'wrote'> {
    if (this.#o.agentsSynced?.() === false) return done;
    const holds = (task.metadata.finalizers ?? []).includes(AGENT_FINALIZER);
    if (isFinalTaskStatus(task.status) && !holds) return done;
    const wait = this.#missing.waitMs(task);
    if (wait > 0) return { requeueAfterMs: wait };
    return (await this.#gone(task, framework, 'deleted', signal)) ? 'wrote' : done;
  }

  // #gone settles the task for good, then releases the agent's finalizer. True if it wrote.
  async #gone(
    task: Task,
    framework: Framework | undefined,
    end: AgentEnd,
    signal: AbortSignal,
  ): Promise<boolean> {
    if (!isFinalTaskStatus(task.status)) {
      const message = `agent ${task.spec.agent} ${endText(end)}`;
      await this.#lose(task, { kind: 'gone', aware: isPartitionAware(framework), message }, signal);
      return true;
    }
    const finalizers = task.metadata.finalizers ?? [];
    if (!finalizers.includes(AGENT_FINALIZER)) return false;
    const next = structuredClone(task);
    next.metadata.finalizers = finalizers.filter(f => f !== AGENT_FINALIZER);
    await this.#o.api.update(next, { signal, fieldManager: FIELD_MANAGER });
    this.#log(task, 'released the agent finalizer: the agent will never clean up', { end });
    return true;
  }

  // #unreachable marks a task whose state predates the agent's loss. True if it wrote.
  async #unreachable(
    task: Task,
    framework: Framework | undefined,
    since: string,
    signal: AbortSignal,
  ): Promise<boolean> {
    const s = task.status;
    if (isFinalTaskStatus(s) || s?.state === 'TASK_UNREACHABLE' || isProvisionalLost(s))
      return false;
    const changed = Date.parse(s?.lastTransitionTime ?? task.metadata.creationTimestamp ?? '');
    // The agent wrote after it was declared lost: it is alive, and its word stands.
    if (!Number.isNaN(changed) && changed > Date.parse(since)) return false;
    const message = `agent ${task.spec.agent} is unreachable since ${since}`;
    const aware = isPartitionAware(framework);
    await this.#lose(task, { kind: 'unreachable', aware, message, since }, signal);
    return true;
  }

  async #lose(task: Task, loss: Loss, signal: AbortSignal): Promise<void> {
    const now = isoTime(this.#o.clock.now());
    const { state, reason } = lossState(loss.kind, loss.aware);
    const old = task.status ?? {};
    const status: TaskStatus = {
      ...(old.observedGeneration === undefined
        ? {}
        : { observedGeneration: old.observedGeneration }),
      ...(old.containerStatus === undefined ? {} : { containerStatus: old.containerStatus }),
      state,
      reason,
      source: 'SOURCE_MASTER',
      message: loss.message,
      lastTransitionTime: now,
      ...(state === 'TASK_UNREACHABLE' && loss.since !== undefined
        ? { unreachableTime: loss.since }
        : {}),
      conditions: setCondition(
        old.conditions,
        { type: 'Ready', status: 'False', reason: state },
        now,
      ),
    };
    await this.#o.api.updateStatus(
      { ...structuredClone(task), status },
      { signal, fieldManager: FIELD_MANAGER },
    );
    this.#log(task, 'task lost with its agent', { state, reason });
  }

  #log(task: Task, msg: string, extra: Record<string, unknown> = {}): void {
    const key = `${task.metadata.namespace ?? ''}/${task.metadata.name ?? ''}`;
    this.#o.logger.info({ task: key, agent: task.spec.agent, ...extra }, msg);
  }
}

interface Loss {
  readonly kind: LossKind;
  readonly aware: boolean;
  readonly message: string;
  readonly since?: string;
}

// endText completes "agent X ..." in the status message of a task settled for its agent.
function endText(end: AgentEnd): string {
  switch (end) {
    case 'marked-gone':
      return 'was marked gone by an operator';
    case 'deleted':
      return 'does not exist: its Agent object was deleted';
    default:
      return assertNever(end, 'agent end');
  }
}

// soonest merges two steps' results: the earlier requeue wins.
function soonest(a: Result, b: Result): Result {
  if (a.requeueAfterMs === undefined) return b;
  if (b.requeueAfterMs === undefined) return a;
  return a.requeueAfterMs <= b.requeueAfterMs ? a : b;
}
