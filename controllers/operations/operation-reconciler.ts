// The operation controller (mesos-features §4; DESIGN.md flow 4). The offer controller creates
// Operations in OPERATION_PENDING after applying speculative operations to the records; the agent
// confirms them (OPERATION_FINISHED or FAILED). This controller keeps the rest of the lifecycle:
//   1. the agent is marked gone (or its Agent deleted): OPERATION_GONE_BY_OPERATOR;
//   2. the agent is unreachable: OPERATION_UNREACHABLE; when it comes back, PENDING again, so the
//      agent picks the operation up;
//   3. RESERVE and UNRESERVE need no work on the node: if the agent has not confirmed one within
//      the confirm grace, this controller finishes it (the agent normally does at once), except
//      a reservation update that moves persistent volumes, whose directories only the agent moves;
//   4. a terminal operation acknowledged by its framework (or not acknowledgeable: ERROR and
//      DROPPED carry no uuid in Mesos; an operation accepted without an id gives no feedback at
//      all, its record only has the agent apply it; or its framework is gone) is deleted after
//      the retention;
//   5. an Operation nobody planned (no offer origin, no status) is refused with OPERATION_ERROR:
//      operators change Reservation and Volume objects instead.
import type { Logger } from 'pino';
import type {
  DeleteOptions,
  ObjectKey,
  ReadonlyCache,
  WriteOptions,
} from '../../core/client/index.ts';
import { isNotFound } from '../../core/client/index.ts';
import type { Agent, Framework, Operation, OperationStatus } from '../../core/types/index.ts';
import { assertNever } from '../../core/util/assert-never.ts';
import type { Clock } from '../../core/util/clock.ts';
import { isoTime } from '../agents/conditions.ts';
import { agentHealth } from '../agents/health.ts';
import { ORIGIN_ANNOTATION } from '../../core/framework/index.ts';
import type { Reconciler, Request, Result } from '../runtime/index.ts';
import { done } from '../runtime/index.ts';
import { convertedResources } from './converted.ts';
import {
  UNRELIABLE_STATES,
  hasFeedback,
  isAcknowledged,
  isTerminalOperation,
} from './operation-states.ts';

/** OperationApi is what the controller writes: the typed Operation client fits. */
export interface OperationApi {
  updateStatus(obj: Operation, opts?: WriteOptions): Promise<Operation>;
  delete(key: ObjectKey, opts?: DeleteOptions): Promise<void>;
}

/** OperationControllerOptions wire the reconciler. */
export interface OperationControllerOptions {
  readonly operations: ReadonlyCache<Operation>;
  readonly agents: ReadonlyCache<Agent>;
  readonly frameworks: ReadonlyCache<Framework>;
  readonly api: OperationApi;
  readonly clock: Clock;
  readonly logger: Logger;
  /** retentionMs keeps acknowledged terminal operations visible this long (15 min default). */
  readonly retentionMs: number;
  /** confirmGraceMs is how long a RESERVE/UNRESERVE waits for the agent (10 s default). */
  readonly confirmGraceMs: number;
}

type Next = Pick<OperationStatus, 'state' | 'message' | 'convertedResources'>;

const FIELD_MANAGER = 'corral-operation-controller';

/** OperationReconciler drives one Operation's feedback state. */
export class OperationReconciler implements Reconciler {
  readonly #o: OperationControllerOptions;

  constructor(options: OperationControllerOptions) {
    this.#o = options;
  }

  /** reconcile takes the next step for the Operation, if any. */
  async reconcile(req: Request, signal: AbortSignal): Promise<Result> {
    const op = this.#o.operations.get(req);
    if (op === undefined || op.metadata.deletionTimestamp !== undefined) return done;
    const state = op.status?.state;
    if (state === undefined) {
      // The offer controller writes the first status right after creating its Operations.
      if (op.metadata.annotations?.[ORIGIN_ANNOTATION] !== undefined) return done;
      const message =
        'Operations are made by answering an offer; operators change Reservation and Volume objects';
      return this.#set(op, { state: 'OPERATION_ERROR', message }, signal);
    }
    if (isTerminalOperation(op)) return this.#collect(op, signal);
    const agent = this.#o.agents.get({ name: op.spec.agent });
    const health = agentHealth(agent);
    switch (health.kind) {
      case 'gone':
      case 'unknown': {
        const why = health.kind === 'gone' ? 'was marked gone' : 'no longer exists';
        const message = `agent ${op.spec.agent} ${why}`;
        return this.#set(op, { state: 'OPERATION_GONE_BY_OPERATOR', message }, signal);
      }
      case 'unreachable': {
        if (state === 'OPERATION_UNREACHABLE') return done;
        const message = `agent ${op.spec.agent} is unreachable since ${health.since}`;
        return this.#set(op, { state: 'OPERATION_UNREACHABLE', message }, signal);
      }
      case 'reachable':
        return this.#reachable(op, signal);
      default:
        return assertNever(health, 'agent health');
    }
  }

  async #reachable(op: Operation, signal: AbortSignal): Promise<Result> {
    const state = op.status?.state;
    if (state === 'OPERATION_UNREACHABLE') {
      const message = `agent ${op.spec.agent} is back; waiting for it to confirm`;
      return this.#set(op, { state: 'OPERATION_PENDING', message }, signal);
    }
    if (state !== 'OPERATION_PENDING') return done;
    if (op.spec.type !== 'RESERVE' && op.spec.type !== 'UNRESERVE') return done;
    // a reservation update that moves persistent volumes has directories to move: the agent's
    if (op.spec.reserve?.source?.some(r => r.disk?.persistence !== undefined) === true) return done;
    const since = Date.parse(op.status?.lastTransitionTime ?? op.metadata.creationTimestamp ?? '');
    const wait = (Number.isNaN(since) ? 0 : since) + this.#o.confirmGraceMs - this.#o.clock.now();
    if (wait > 0) return { requeueAfterMs: wait };
    const converted = convertedResources(op);
    return this.#set(
      op,
      {
        state: 'OPERATION_FINISHED',
        message: 'applied to the reservation records; the agent has nothing to do',
        ...(converted === undefined ? {} : { convertedResources: converted }),
      },
      signal,
    );
  }

  // #collect deletes a terminal operation once nobody needs to see it any more.
  async #collect(op: Operation, signal: AbortSignal): Promise<Result> {
    const state = op.status?.state;
    const fw = op.spec.framework;
    const frameworkGone =
      fw === undefined ||
      this.#o.frameworks.get({ namespace: op.metadata.namespace ?? '', name: fw }) === undefined;
    const collectable =
      isAcknowledged(op) ||
      !hasFeedback(op) ||
      (state !== undefined && UNRELIABLE_STATES.has(state)) ||
      frameworkGone;
    if (!collectable) return done;
    const ended = Date.parse(op.status?.lastTransitionTime ?? '');
    const wait = (Number.isNaN(ended) ? 0 : ended) + this.#o.retentionMs - this.#o.clock.now();
    if (wait > 0) return { requeueAfterMs: wait };
    const key = { namespace: op.metadata.namespace ?? '', name: op.metadata.name ?? '' };
    const uid = op.metadata.uid;
    try {
      await this.#o.api.delete(key, {
        signal,
        ...(uid === undefined ? {} : { preconditions: { uid } }),
      });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    this.#o.logger.info(
      { operation: `${key.namespace}/${key.name}`, state },
      'operation collected',
    );
    return done;
  }

  async #set(op: Operation, next: Next, signal: AbortSignal): Promise<Result> {
    const now = isoTime(this.#o.clock.now());
    const old = op.status ?? {};
    const status: OperationStatus = {
      ...(old.observedGeneration === undefined
        ? {}
        : { observedGeneration: old.observedGeneration }),
      ...(old.conditions === undefined ? {} : { conditions: old.conditions }),
      ...next,
      lastTransitionTime: now,
    };
    await this.#o.api.updateStatus(
      { ...structuredClone(op), status },
      { signal, fieldManager: FIELD_MANAGER },
    );
    const key = `${op.metadata.namespace ?? ''}/${op.metadata.name ?? ''}`;
    this.#o.logger.info(
      {
        operation: key,
        type: op.spec.type,
        agent: op.spec.agent,
        from: old.state,
        state: next.state,
      },
      'operation state changed',
    );
    return done;
  }
}
