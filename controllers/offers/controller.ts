// The offer controller (DESIGN.md flow 3): answers become records. For an answered Offer:
//   1. decline: delete the Offer (the allocator installs the filter from the deleted answer);
//   2. accept: plan with the engine against the framework and the agent's applied state, and
//      save the plan on the Offer (an annotation) before anything else is written;
//   3. then, in the same pass, write what the saved plan still lacks (Operations, then creates,
//      then edits of existing records; statuses through `/status`), then delete the Offer.
// Killed between any two writes, a rerun finds the saved plan and writes only what is missing.
// (Step 3 once waited for the saved plan's own watch event and a second pass: a round trip
// through the watch and the queue per accept, for nothing the plan in hand lacks.)
// An Offer that is gone or being deleted (rescinded) changes nothing; a second answer never
// reaches here (the API refuses it on resourceVersion).
import type { Logger } from 'pino';
import type {
  DeleteOptions,
  ObjectKey,
  ReadonlyCache,
  WriteOptions,
} from '../../core/client/index.ts';
import { isNotFound } from '../../core/client/index.ts';
import type { Agent, Framework, KubeObject, Offer } from '../../core/types/index.ts';
import type { Clock } from '../../core/util/clock.ts';
import { isoTime } from '../agents/conditions.ts';
import type { AgentRecords } from '../reservations/agent-model.ts';
import { agentModel } from '../reservations/agent-model.ts';
import type { Reconciler, Request, Result } from '../runtime/index.ts';
import { done, requestKey, requestOfKey } from '../runtime/index.ts';
import type { RecordChange } from './engine/index.ts';
import { applyAnswer, frameworkViewFrom } from './engine/index.ts';
import { KeyGuard } from './key-guard.ts';
import type { RecordCaches } from './pending.ts';
import { pendingChanges } from './pending.ts';
import type { SavedPlan } from './plan-store.ts';
import { loadPlan, savedPlanOf, withPlan } from './plan-store.ts';
import type { RecordApis } from './record-writer.ts';
import type { TaskCreate } from './record-writer.ts';
import { writeChange, writeTaskCreates } from './record-writer.ts';
import type { Scope, TrackedCaches } from './write-tracker.ts';
import { WriteTracker } from './write-tracker.ts';

/** OfferApi is what the controller writes to Offers: the typed client fits. */
export interface OfferApi {
  update(obj: Offer, opts?: WriteOptions): Promise<Offer>;
  delete(key: ObjectKey, opts?: DeleteOptions): Promise<void>;
}

/** Lookup reads one object from the API, undefined when it does not exist. */
export type Lookup<T> = (key: ObjectKey, signal: AbortSignal) => Promise<T | undefined>;

/** OfferControllerOptions wire the reconciler. */
export interface OfferControllerOptions {
  readonly offers: ReadonlyCache<Offer>;
  readonly frameworks: ReadonlyCache<Framework>;
  readonly agents: ReadonlyCache<Agent>;
  /** lookup tells a Framework or Agent that is gone from one the caches have yet to see. */
  readonly lookup: { readonly framework: Lookup<Framework>; readonly agent: Lookup<Agent> };
  readonly records: RecordCaches;
  readonly agentRecords: AgentRecords;
  readonly offerApi: OfferApi;
  readonly apis: RecordApis;
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * wake asks for another pass of an Offer whose pass found its agent or framework held by
   * another worker (the controller's enqueue). Without it such a pass retries on a short timer.
   */
  readonly wake?: (req: Request) => void;
}

const FIELD_MANAGER = 'corral-offer-controller';
// How soon to look again when the caches lag behind this controller's own writes (or another
// worker holds the agent or namespace and there is no wake to park on).
const BUSY_RETRY_MS = 10;
// How many of a plan's Task creates go in one List create (the API takes up to 1000 items; 100
// keeps one request's body and time on the server small).
const TASK_CREATES_PER_REQUEST = 100;

const isTaskCreate = (c: RecordChange | undefined): c is TaskCreate =>
  c?.action === 'create' && c.object.kind === 'Task';

// a plain launched task: a create of a Task outside any task group (a group is all or none,
// which a write racing another answer's could break)
const isPlainTaskCreate = (c: RecordChange): boolean =>
  c.action === 'create' && c.object.kind === 'Task' && c.object.spec.group === undefined;

// an answer that only launches plain tasks (no task group, no operation with feedback): planning
// it reads the framework only for task names, which the writes settle (see holdsOf)
function launchesOnly(offer: Offer): boolean {
  const ops = offer.spec.response?.accept?.operations;
  return ops !== undefined && ops.every(op => op.type === 'LAUNCH');
}

type Planned =
  | { readonly kind: 'plan'; readonly plan: SavedPlan }
  | { readonly kind: 'drop'; readonly why: string }
  | { readonly kind: 'wait' };

/** OfferReconciler turns one answered Offer into records, then deletes it. */
export class OfferReconciler implements Reconciler {
  readonly #o: OfferControllerOptions;
  readonly #guard = new KeyGuard<string>();
  readonly #tracker: WriteTracker;
  readonly #tracked: TrackedCaches;

  constructor(options: OfferControllerOptions) {
    this.#o = options;
    this.#tracker = new WriteTracker(options.clock);
    const r = options.records;
    this.#tracked = {
      Offer: options.offers,
      Reservation: r.reservations,
      Volume: r.volumes,
      Task: r.tasks,
      Operation: r.operations,
    };
  }

  /** reconcile takes the next step for the Offer (see the steps above). */
  async reconcile(req: Request, signal: AbortSignal): Promise<Result> {
    const offer = this.#o.offers.get(req);
    if (offer?.spec.response === undefined) return done;
    if (offer.metadata.deletionTimestamp !== undefined) return done;
    // The event of our own last write of this Offer brings the next pass.
    if (this.#tracker.isBehind(offer)) return done;
    const saved = loadPlan(offer);
    const held = holdsOf(offer, saved, req);
    const wake = this.#o.wake;
    if (!this.#guard.enter(held, wake === undefined ? undefined : requestKey(req)))
      return wake === undefined ? { requeueAfterMs: BUSY_RETRY_MS } : done;
    try {
      return await this.#answer(offer, saved, held.length > 1, signal);
    } finally {
      const woken = this.#guard.exit(held);
      if (wake !== undefined) for (const k of woken) wake(requestOfKey(k));
    }
  }

  async #answer(
    offer: Offer,
    saved: SavedPlan | undefined,
    framework: boolean,
    signal: AbortSignal,
  ): Promise<Result> {
    if (saved !== undefined) {
      await this.#write(saved, signal);
      await this.#deleteOffer(offer, saved.outcome, saved.changes.length, signal);
      return done;
    }
    if (offer.spec.response?.accept === undefined) {
      await this.#deleteOffer(offer, 'DECLINED', 0, signal);
      return done;
    }
    const scope: Scope = framework
      ? { agent: offer.spec.agent, namespace: offer.metadata.namespace ?? '' }
      : { agent: offer.spec.agent };
    if (!this.#tracker.caughtUp(this.#tracked, scope)) return { requeueAfterMs: BUSY_RETRY_MS };
    const planned = await this.#plan(offer, signal);
    if (planned.kind === 'wait') return { requeueAfterMs: BUSY_RETRY_MS };
    if (planned.kind === 'drop' || planned.plan.changes.length === 0) {
      const outcome = planned.kind === 'drop' ? planned.why : planned.plan.outcome;
      await this.#deleteOffer(offer, outcome, 0, signal);
      return done;
    }
    // Saved first: from here on a rerun writes exactly this plan.
    const written = await this.#o.offerApi.update(withPlan(offer, planned.plan), {
      signal,
      fieldManager: FIELD_MANAGER,
    });
    this.#tracker.written(written);
    await this.#write(planned.plan, signal);
    await this.#deleteOffer(written, planned.plan.outcome, planned.plan.changes.length, signal);
    return done;
  }

  async #plan(offer: Offer, signal: AbortSignal): Promise<Planned> {
    const { frameworks, agents, records, agentRecords, clock, lookup } = this.#o;
    const namespace = offer.metadata.namespace ?? '';
    const fwKey = { namespace, name: offer.spec.framework };
    const agentKey = { name: offer.spec.agent };
    const framework = frameworks.get(fwKey);
    const agent = agents.get(agentKey);
    // Mesos drops an answer for a removed framework or agent. Missing from a cache may only mean
    // the cache is behind (a framework registered a moment ago): the API says which.
    if (framework === undefined) {
      if ((await lookup.framework(fwKey, signal)) !== undefined) return { kind: 'wait' };
      return { kind: 'drop', why: 'FRAMEWORK_GONE' };
    }
    if (agent === undefined) {
      if ((await lookup.agent(agentKey, signal)) !== undefined) return { kind: 'wait' };
      return { kind: 'drop', why: 'AGENT_GONE' };
    }
    const plan = applyAnswer({
      offer,
      framework: frameworkViewFrom(
        framework,
        name => records.tasks.get({ namespace, name }),
        name => records.operations.get({ namespace, name }),
      ),
      agent: agentModel(agent, agentRecords),
      now: isoTime(clock.now()),
    });
    return { kind: 'plan', plan: savedPlanOf(plan) };
  }

  async #write(plan: SavedPlan, signal: AbortSignal): Promise<void> {
    const ctx = {
      apis: this.#o.apis,
      signal,
      logger: this.#o.logger,
      written: (o: KubeObject, created: boolean) => this.#tracker.written(o, created),
      removed: (kind: string, key: ObjectKey) => this.#tracker.removed(kind, key),
    };
    // In plan order, except that a run of Task creates (a LAUNCH's tasks, independent of each
    // other) goes out in List creates of up to TASK_CREATES_PER_REQUEST. Which writes are left
    // is judged from the caches either way (pendingChanges), so a run cut short anywhere resumes
    // correctly.
    const changes = pendingChanges(plan.changes, this.#o.records);
    for (let i = 0; i < changes.length;) {
      const first = changes[i] as RecordChange;
      if (!isTaskCreate(first)) {
        await writeChange(first, ctx);
        i++;
        continue;
      }
      const run: TaskCreate[] = [first];
      for (let next = changes[++i]; isTaskCreate(next); next = changes[++i]) {
        if (run.length === TASK_CREATES_PER_REQUEST) break;
        run.push(next);
      }
      if (run.length === 1) await writeChange(first, ctx);
      else await writeTaskCreates(run, ctx);
    }
  }

  async #deleteOffer(offer: Offer, outcome: string, writes: number, signal: AbortSignal) {
    const key = { namespace: offer.metadata.namespace ?? '', name: offer.metadata.name ?? '' };
    const uid = offer.metadata.uid;
    try {
      await this.#o.offerApi.delete(key, {
        signal,
        ...(uid === undefined ? {} : { preconditions: { uid } }),
      });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    // until the cache shows it gone, a pass on the Offer (its last write's event) does nothing
    this.#tracker.removed('Offer', key, {
      agent: offer.spec.agent,
      ...(uid === undefined ? {} : { uid }),
    });
    this.#o.logger.info(
      { offer: `${key.namespace}/${key.name}`, agent: offer.spec.agent, outcome, writes },
      'offer answered',
    );
  }
}

/**
 * holdsOf names what a pass on `offer` holds. Answers on one agent, or of one framework, are
 * planned one at a time (Mesos's master does all of them in one actor): each must see what the one
 * before wrote. Two kinds of pass need no hold on the framework: one that only launches plain
 * tasks (planned or saved: its tasks are independent of the framework's other answers — a task
 * name two answers use goes to whichever is written first, the other gets TASK_ERROR through its
 * stand-in — and holding the namespace made every answer of a framework wait for the one before),
 * and a decline (it only deletes the Offer).
 */
function holdsOf(offer: Offer, saved: SavedPlan | undefined, req: Request): string[] {
  const agent = `agent/${offer.spec.agent}`;
  if (saved !== undefined)
    return saved.changes.every(isPlainTaskCreate) ? [agent] : [agent, `namespace/${req.namespace}`];
  if (offer.spec.response?.accept === undefined) return [];
  return launchesOnly(offer) ? [agent] : [agent, `namespace/${req.namespace}`];
}
