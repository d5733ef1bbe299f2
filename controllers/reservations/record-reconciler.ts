// The reservation controller (mesos-features §2, §3): applying, editing and deleting Reservation
// and Volume objects works like Mesos's operator API, planned by the offer engine against the
// agent's applied state. One instance per kind. A pass makes one write of the object:
//   1. a changed spec (or a new object) is planned: accepted → the applied annotation records it,
//      with the finalizer, the Operations that carry a volume's change to the agent
//      (operator-operations.ts) and, for a reservation update, the volumes to move along (with
//      the RESERVE that moves their directories on the agent);
//      refused → Applied=False with the reason (Invalid: fix the object; Conflict: retried, like
//      a 409); resources still in unanswered offers are rescinded first, as Mesos does for
//      operators;
//   2. the recorded Operations are created (idempotently, under their recorded names), then the
//      record is cleared of them, and, for a deletion, of its finalizer;
//   3. a reservation update's volumes are moved (after 2, so a Volume shows its new role only
//      once the Operation that moves its directory exists);
//   4. an applied object gets Applied=True (a Volume also its users);
//   5. a deleted object keeps its finalizer while the engine refuses the unreserve or destroy
//      (volumes on the reservation, a task using the volume): DeletionBlocked=True says why; once
//      accepted, a Volume's DESTROY Operation is recorded as in 1 and sent as in 2, unless an
//      offer answer removed it (REMOVED_ANNOTATION): that answer's Operation told the agent.
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import type { ReadonlyCache, WriteOptions } from '../../core/client/index.ts';
import type { Agent, Condition, Offer, Reservation, Volume } from '../../core/types/index.ts';
import type { Clock } from '../../core/util/clock.ts';
import type { ConditionInput } from '../agents/conditions.ts';
import { isoTime, removeCondition, setCondition } from '../agents/conditions.ts';
import type { AgentState, ChangePlan } from '../offers/engine/index.ts';
import { WriteTracker } from '../offers/write-tracker.ts';
import type { Reconciler, Request, Result } from '../runtime/index.ts';
import { done } from '../runtime/index.ts';
import type { AgentRecords } from './agent-model.ts';
import { agentModel } from './agent-model.ts';
import { APPLIED_ANNOTATION, REMOVED_ANNOTATION, withApplied } from './applied.ts';
import type { PendingMove, VolumeMoveApi } from './moves.ts';
import type { NamespaceCreateApi, OperationCreateApi } from './operation-sender.ts';
import { DEFAULT_OPERATION_NAMESPACE, OperationSender } from './operation-sender.ts';
import type { PendingOperations } from './operator-operations.ts';
import {
  operationsOf,
  pendingOperations,
  updateOperations,
  withPending,
} from './operator-operations.ts';
import { MOVES_ANNOTATION, moveVolume, movesOf, pendingMoves } from './moves.ts';
import type { RecordKind } from './record-kind.ts';
import { rescindOffers } from './rescind.ts';
import type { OfferDeleteApi } from './rescind.ts';

/** APPLIED_CONDITION is True once the agent's model holds the object's spec. */
export const APPLIED_CONDITION = 'Applied';

/** DELETION_BLOCKED_CONDITION is True while a deletion waits (volumes on it, a task using it). */
export const DELETION_BLOCKED_CONDITION = 'DeletionBlocked';

/** RecordWriteApi writes one kind: the typed client fits. */
export interface RecordWriteApi<T> {
  update(obj: T, opts?: WriteOptions): Promise<T>;
  updateStatus(obj: T, opts?: WriteOptions): Promise<T>;
}

/** RecordReconcilerOptions wire one instance. */
export interface RecordReconcilerOptions<T extends Reservation | Volume> {
  readonly kind: RecordKind<T>;
  readonly cache: ReadonlyCache<T>;
  readonly agents: ReadonlyCache<Agent>;
  readonly records: AgentRecords;
  readonly api: RecordWriteApi<T>;
  readonly volumeApi: VolumeMoveApi;
  readonly offerApi: OfferDeleteApi;
  /** operationApi creates the Operations that carry accepted changes to the agent. */
  readonly operationApi: OperationCreateApi;
  /** namespaceApi creates `operationNamespace` when it is missing. */
  readonly namespaceApi: NamespaceCreateApi;
  /** operationNamespace holds those Operations (DEFAULT_OPERATION_NAMESPACE when absent). */
  readonly operationNamespace?: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** retryMs is how soon a refused (Conflict) change or deletion is planned again. */
  readonly retryMs: number;
}

const FIELD_MANAGER = 'corral-reservation-controller';

type ConditionPart = Omit<ConditionInput, 'type'>;

/** StatusWrite is one status pass: the conditions to set and the model to observe. */
interface StatusWrite {
  readonly model: AgentState | undefined;
  readonly applied?: ConditionPart;
  readonly blocked?: ConditionPart;
  readonly signal: AbortSignal;
}
const RESCIND_WAIT_MS = 100;
const STALE_RETRY_MS = 10;

/** RecordReconciler applies one kind of operator-managed record (see the steps above). */
export class RecordReconciler<T extends Reservation | Volume> implements Reconciler {
  readonly #o: RecordReconcilerOptions<T>;
  readonly #tracker: WriteTracker;
  readonly #sender: OperationSender;

  constructor(options: RecordReconcilerOptions<T>) {
    this.#o = options;
    this.#tracker = new WriteTracker(options.clock);
    this.#sender = new OperationSender({
      api: options.operationApi,
      namespaces: options.namespaceApi,
      namespace: options.operationNamespace ?? DEFAULT_OPERATION_NAMESPACE,
      clock: options.clock,
      logger: options.logger,
    });
  }

  /** reconcile takes the next step for the object. */
  async reconcile(req: Request, signal: AbortSignal): Promise<Result> {
    const { cache, agents, kind } = this.#o;
    const o = cache.get({ name: req.name });
    if (o === undefined) return done;
    // Our own last write has not reached the cache yet: working from it would only conflict.
    if (this.#tracker.isBehind(o)) return { requeueAfterMs: STALE_RETRY_MS };
    // An accepted change is sent before anything else happens to the record, deletion included.
    const pending = pendingOperations(o);
    if (pending !== undefined) return this.#send(o, pending, signal);
    const agent = agents.get({ name: o.spec.agent });
    const applied = kind.applied(o);
    if (o.metadata.deletionTimestamp !== undefined)
      return this.#deleting(o, agent, applied, signal);
    const moves = pendingMoves(o);
    if (moves !== undefined) return this.#move(o, moves, signal);
    if (applied !== undefined && kind.same(applied.spec, o.spec)) {
      return this.#settled(o, agent, signal);
    }
    if (agent === undefined) {
      const message = `agent ${o.spec.agent} does not exist`;
      const applied = { status: 'False', reason: 'AgentNotFound', message } as const;
      await this.#status(o, { model: undefined, applied, signal });
      return { requeueAfterMs: this.#o.retryMs };
    }
    if (agent.spec.gone === true) {
      // Mesos answers an operator's reservation or volume call for a removed agent with 400
      const message = `agent ${o.spec.agent} is marked gone; nothing can be reserved or created there`;
      const refused = { status: 'False', reason: 'AgentGone', message } as const;
      await this.#status(o, { model: undefined, applied: refused, signal });
      return done;
    }
    const model = agentModel(agent, this.#o.records);
    const plan = kind.plan(applied, o, model);
    if (!plan.ok) {
      const refused = { status: 'False', reason: plan.code, message: plan.reason } as const;
      await this.#status(o, { model, applied: refused, signal });
      return plan.code === 'Conflict' ? { requeueAfterMs: this.#o.retryMs } : done;
    }
    if (plan.rescind) return this.#rescind(agent, signal);
    await this.#accept(o, plan, signal);
    return done;
  }

  async #deleting(
    o: T,
    agent: Agent | undefined,
    applied: T | undefined,
    signal: AbortSignal,
  ): Promise<Result> {
    const { kind } = this.#o;
    if (!(o.metadata.finalizers ?? []).includes(kind.finalizer)) return done;
    // Nothing to take back from an agent that never applied it, or that is gone.
    if (agent === undefined || agent.spec.gone === true || applied === undefined)
      return this.#release(o, signal);
    const model = agentModel(agent, this.#o.records);
    const plan = kind.plan(applied, undefined, model);
    if (plan.ok && plan.rescind) return this.#rescind(agent, signal);
    if (plan.ok) {
      // An answer's UNRESERVE or DESTROY (REMOVED_ANNOTATION): its own Operation tells the agent.
      const byAnswer = o.metadata.annotations?.[REMOVED_ANNOTATION] !== undefined;
      const operations = byAnswer ? [] : operationsOf(o, plan.steps, true);
      if (operations.length === 0) return this.#release(o, signal);
      await this.#update(withPending(structuredClone<T>(o), { operations, release: true }), signal);
      this.#log(o, 'operator deletion applied', plan);
      return done;
    }
    const blocked = { status: 'True', reason: plan.code, message: plan.reason } as const;
    await this.#status(o, { model, blocked, signal });
    return { requeueAfterMs: this.#o.retryMs };
  }

  async #settled(o: T, agent: Agent | undefined, signal: AbortSignal): Promise<Result> {
    const { kind } = this.#o;
    const finalizers = o.metadata.finalizers ?? [];
    // A record made outside the offer controller's writer (no annotation yet) is adopted here,
    // so a later edit is seen as one.
    const adopted = o.metadata.annotations?.[APPLIED_ANNOTATION] !== undefined;
    if (!finalizers.includes(kind.finalizer) || !adopted) {
      const next = withApplied(structuredClone<T>(o), o.spec);
      if (!finalizers.includes(kind.finalizer))
        next.metadata.finalizers = [...finalizers, kind.finalizer];
      await this.#update(next, signal);
      return done;
    }
    const model = agent === undefined ? undefined : agentModel(agent, this.#o.records);
    const applied = { status: 'True', reason: 'Applied', message: 'applied to the agent' } as const;
    await this.#status(o, { model, applied, signal });
    return done;
  }

  async #accept(o: T, plan: Extract<ChangePlan, { ok: true }>, signal: AbortSignal): Promise<void> {
    const operations = [...operationsOf(o, plan.steps, false), ...updateOperations(o, plan)];
    const applied = withApplied(structuredClone<T>(o), o.spec);
    const next =
      operations.length === 0 ? applied : withPending(applied, { operations, release: false });
    const finalizers = next.metadata.finalizers ?? [];
    if (!finalizers.includes(this.#o.kind.finalizer))
      next.metadata.finalizers = [...finalizers, this.#o.kind.finalizer];
    if (plan.movedVolumes.length > 0) {
      const annotations = { ...next.metadata.annotations };
      annotations[MOVES_ANNOTATION] = JSON.stringify(movesOf(plan.movedVolumes));
      next.metadata.annotations = annotations;
    }
    await this.#update(next, signal);
    this.#log(o, 'operator change applied', plan);
  }

  #log(o: T, msg: string, plan: Extract<ChangePlan, { ok: true }>): void {
    this.#o.logger.info(
      {
        kind: o.kind,
        name: o.metadata.name,
        agent: o.spec.agent,
        steps: plan.steps.map(s => s.action),
        moved: plan.movedVolumes.map(v => v.name),
      },
      msg,
    );
  }

  // #send creates the recorded Operations, then clears them (and a deletion's finalizer).
  async #send(o: T, pending: PendingOperations, signal: AbortSignal): Promise<Result> {
    await this.#sender.send(o, pending.operations, signal);
    const next = withPending(structuredClone<T>(o));
    if (pending.release)
      next.metadata.finalizers = (o.metadata.finalizers ?? []).filter(
        f => f !== this.#o.kind.finalizer,
      );
    await this.#update(next, signal);
    this.#o.logger.info(
      {
        kind: o.kind,
        name: o.metadata.name,
        operations: pending.operations.map(op => `${op.type} ${op.name}`),
        released: pending.release,
      },
      'operations sent to the agent',
    );
    return done;
  }

  async #move(o: T, moves: readonly PendingMove[], signal: AbortSignal): Promise<Result> {
    const opts = { signal, fieldManager: FIELD_MANAGER };
    for (const m of moves) await moveVolume(this.#o.volumeApi, m, opts);
    const next = structuredClone<T>(o);
    next.metadata.annotations = Object.fromEntries(
      Object.entries(next.metadata.annotations ?? {}).filter(([k]) => k !== MOVES_ANNOTATION),
    );
    await this.#update(next, signal);
    const volumes = moves.map(m => m.name);
    this.#o.logger.info({ reservation: o.metadata.name, volumes }, 'volumes moved');
    return done;
  }

  async #release(o: T, signal: AbortSignal): Promise<Result> {
    const next = structuredClone<T>(o);
    next.metadata.finalizers = (o.metadata.finalizers ?? []).filter(
      f => f !== this.#o.kind.finalizer,
    );
    await this.#update(next, signal);
    this.#o.logger.info({ kind: o.kind, name: o.metadata.name }, 'deletion applied');
    return done;
  }

  async #rescind(agent: Agent, signal: AbortSignal): Promise<Result> {
    const name = agent.metadata.name ?? '';
    const offers: Offer[] = [...this.#o.records.offers(name)];
    await rescindOffers(this.#o.offerApi, offers, signal);
    return { requeueAfterMs: RESCIND_WAIT_MS };
  }

  // #status writes the conditions (and the kind's observed fields) if anything changed.
  async #status(o: T, w: StatusWrite): Promise<void> {
    const now = isoTime(this.#o.clock.now());
    const old = o.status ?? {};
    const generation = o.metadata.generation;
    const withGen = generation === undefined ? {} : { observedGeneration: generation };
    let conditions: Condition[] = old.conditions ?? [];
    if (w.applied !== undefined)
      conditions = setCondition(
        conditions,
        { ...w.applied, type: APPLIED_CONDITION, ...withGen },
        now,
      );
    conditions =
      w.blocked === undefined
        ? removeCondition(conditions, DELETION_BLOCKED_CONDITION)
        : setCondition(
            conditions,
            { ...w.blocked, type: DELETION_BLOCKED_CONDITION, ...withGen },
            now,
          );
    const observed = w.model === undefined ? {} : this.#o.kind.observed(o, w.model);
    const status = { ...old, ...observed, ...withGen, conditions };
    if (isDeepStrictEqual(status, old)) return;
    const next = structuredClone<T>(o);
    next.status = status;
    this.#tracker.written(
      await this.#o.api.updateStatus(next, { signal: w.signal, fieldManager: FIELD_MANAGER }),
    );
  }

  async #update(next: T, signal: AbortSignal): Promise<void> {
    this.#tracker.written(await this.#o.api.update(next, { signal, fieldManager: FIELD_MANAGER }));
  }
}
