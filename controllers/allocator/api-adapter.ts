// The allocator's boundary with the API. Watch events become model mutations (and allocation
// requests); decisions become Offer objects in the framework's namespace; quota figures become
// Quota status. It uses only the narrow ports declared here, so main.ts wires it to the typed
// client and tests to fakes.
import type { Clock } from '../../core/util/clock.ts';
import type {
  Agent,
  Framework,
  Offer,
  OfferResponse,
  Quota,
  Reservation,
  Role,
  Task,
  Volume,
} from '../../core/types/index.ts';
import * as convert from './api-convert.ts';
import type { AllocatorConfig } from './config.ts';
import { filterDurationMs } from './config.ts';
import type { OfferDecision, RescindDecision } from './decisions.ts';
import type { AllocatorPublisher, LoopLogger } from './loop.ts';
import type { OfferApi } from './api-publisher.ts';
import { ApiPublisher } from './api-publisher.ts';
import type { AllocatorModel } from './model/model.ts';
import type { QuotaRoleStatus } from './quota-status.ts';
import { TotalsIndex } from './totals-index.ts';

export type { OfferApi } from './api-publisher.ts';

/** KindHandlers is what an informer calls; structurally core/client's InformerHandlers. */
export interface KindHandlers<T> {
  add(obj: T): void;
  update(old: T, obj: T): void;
  delete(obj: T): void;
}

/** AllocatorTriggers are the loop's request methods the adapter calls. */
export interface AllocatorTriggers {
  requestAll(): void;
  requestAgents(ids: Iterable<string>): void;
  rescind(offers: readonly RescindDecision[]): void;
}

/** ApiSnapshot is every object a new leader lists before its first cycle. */
export interface ApiSnapshot {
  readonly agents: readonly Agent[];
  readonly reservations: readonly Reservation[];
  readonly volumes: readonly Volume[];
  readonly frameworks: readonly Framework[];
  readonly roles: readonly Role[];
  readonly quotas: readonly Quota[];
  readonly tasks: readonly Task[];
  readonly offers: readonly Offer[];
}

/** AdapterOptions wire an adapter. */
export interface AdapterOptions {
  readonly model: AllocatorModel;
  readonly config: AllocatorConfig;
  readonly clock: Clock;
  readonly api: OfferApi;
  readonly triggers: AllocatorTriggers;
  readonly logger?: LoopLogger;
  /** concurrency bounds the creates and deletes in flight; 32 by default. */
  readonly concurrency?: number;
}

/** REVIVE_ANNOTATION on a Framework: changing its value is Mesos REVIVE (clears filters). */
export const REVIVE_ANNOTATION = 'corral.dev/revive';

interface KnownOffer {
  resourceVersion: string | undefined;
  response: OfferResponse | undefined;
}

/** AllocatorApiAdapter turns watch events into model changes and decisions into API writes. */
export class AllocatorApiAdapter implements AllocatorPublisher {
  readonly #o: AdapterOptions;
  readonly #totals: TotalsIndex;
  readonly #offers = new Map<string, KnownOffer>();
  readonly #quotaNames = new Map<string, Quota>();
  readonly #roleOf = new Map<string, string>();

  readonly #publisher: ApiPublisher;

  constructor(options: AdapterOptions) {
    this.#o = options;
    this.#totals = new TotalsIndex(options.model, options.triggers);
    this.#publisher = new ApiPublisher({
      api: options.api,
      resourceVersion: id => this.#offers.get(id)?.resourceVersion,
      quotaOf: role => this.#quotaNames.get(role),
      agentFacts: agent => this.#totals.facts(agent),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    });
  }

  /** offerIds names offers for ModelOptions.offerId: `namespace/name`, see offerName. */
  static offerIds(
    epoch: number,
  ): (i: { framework: string; role: string; agent: string; seq: number }) => string {
    // The name's agent and role part costs a few regexes: make it once per agent and role.
    const prefixes = new Map<string, string>();
    return i => {
      const key = `${i.framework}\u0000${i.role}\u0000${i.agent}`;
      let prefix = prefixes.get(key);
      if (prefix === undefined) {
        const namespace = convert.splitKey(i.framework).namespace;
        prefix = `${namespace}/${convert.offerNamePrefix(i.agent, i.role, epoch)}`;
        prefixes.set(key, prefix);
      }
      return `${prefix}${i.seq.toString(36)}`;
    };
  }

  /**
   * rebuild loads a new leader's model from listed objects, in the order that lets each find what
   * it refers to: roles and quotas, agents with their reservations and volumes, frameworks,
   * tasks, and last the outstanding offers, whose resources are counted as offered so they are
   * never offered twice. Handlers may then replay the same objects as adds: they are idempotent.
   */
  rebuild(s: ApiSnapshot): void {
    for (const r of s.roles) this.roles.add(r);
    for (const q of s.quotas) this.quotas.add(q);
    for (const r of s.reservations) this.#totals.reservation(r, 'add');
    for (const v of s.volumes) this.#totals.volume(v, 'add');
    for (const a of s.agents) this.#totals.agent(a, 'add');
    for (const f of s.frameworks) this.frameworks.add(f);
    for (const t of s.tasks) this.#totals.task(t);
    for (const o of s.offers) this.offers.add(o);
  }

  readonly agents: KindHandlers<Agent> = {
    add: a => this.#totals.agent(a, 'add'),
    update: (_old, a) => this.#totals.agent(a, 'add'),
    delete: a => this.#totals.agent(a, 'delete'),
  };

  readonly reservations: KindHandlers<Reservation> = {
    add: r => this.#totals.reservation(r, 'add'),
    update: (old, r) => {
      if (old.spec.agent !== r.spec.agent) this.#totals.reservation(old, 'delete');
      this.#totals.reservation(r, 'add');
    },
    delete: r => this.#totals.reservation(r, 'delete'),
  };

  readonly volumes: KindHandlers<Volume> = {
    add: v => this.#totals.volume(v, 'add'),
    update: (old, v) => {
      if (old.spec.agent !== v.spec.agent) this.#totals.volume(old, 'delete');
      this.#totals.volume(v, 'add');
    },
    delete: v => this.#totals.volume(v, 'delete'),
  };

  readonly tasks: KindHandlers<Task> = {
    add: t => this.#totals.task(t),
    update: (_old, t) => this.#totals.task(t),
    delete: t => this.#totals.taskGone(t),
  };

  readonly frameworks: KindHandlers<Framework> = {
    add: f => {
      if (this.#o.model.upsertFramework(convert.frameworkInit(f))) this.#o.triggers.requestAll();
    },
    update: (old, f) => {
      const { model, triggers } = this.#o;
      const init = convert.frameworkInit(f);
      let wants = model.upsertFramework(init);
      const revive = f.metadata.annotations?.[REVIVE_ANNOTATION];
      if (revive !== undefined && revive !== old.metadata.annotations?.[REVIVE_ANNOTATION]) {
        const roles = init.roles.filter(r => !(init.suppressedRoles ?? []).includes(r));
        wants = model.revive(init.id, roles) || wants;
      }
      if (wants) triggers.requestAll();
    },
    delete: f => {
      const id = convert.frameworkKey(f.metadata.namespace ?? '', f.metadata.name ?? '');
      this.#rescindDropped(this.#o.model.removeFramework(id), 'framework-removed');
    },
  };

  readonly roles: KindHandlers<Role> = {
    add: r => this.#setWeight(r),
    update: (_old, r) => this.#setWeight(r),
    delete: r => {
      const role = this.#roleOf.get(r.metadata.name ?? '') ?? r.spec.role;
      this.#roleOf.delete(r.metadata.name ?? '');
      this.#o.model.setWeight(role);
    },
  };

  #setWeight(r: Role): void {
    const name = r.metadata.name ?? '';
    const before = this.#roleOf.get(name);
    if (before !== undefined && before !== r.spec.role) this.#o.model.setWeight(before);
    this.#roleOf.set(name, r.spec.role);
    this.#o.model.setWeight(r.spec.role, r.spec.weight ?? 1);
  }

  readonly quotas: KindHandlers<Quota> = {
    add: q => this.#setQuota(q),
    update: (old, q) => {
      if (old.spec.role !== q.spec.role) this.quotas.delete(old);
      this.#setQuota(q);
    },
    delete: q => {
      this.#quotaNames.delete(q.spec.role);
      this.#o.model.setQuota(q.spec.role);
    },
  };

  #setQuota(q: Quota): void {
    this.#quotaNames.set(q.spec.role, q);
    this.#o.model.setQuota(q.spec.role, convert.quotaOf(q));
  }

  readonly offers: KindHandlers<Offer> = {
    add: o => this.#offerSeen(o),
    update: (_old, o) => this.#offerSeen(o),
    delete: o => this.#offerGone(o),
  };

  #offerSeen(o: Offer): void {
    const { model, clock, triggers } = this.#o;
    const id = convert.objectKey(o);
    this.#offers.set(id, {
      resourceVersion: o.metadata.resourceVersion,
      response: o.spec.response,
    });
    if (o.spec.response !== undefined) model.markAnswered(id);
    if (model.offers.has(id)) return;
    // Not made by this model: a predecessor's offer (count it), or one on an agent we do not
    // know (withdraw it, unless answered: the offer controller carries an answer out).
    if (!model.adoptOffer(convert.offerInit(o, clock.now()))) {
      if (o.spec.response !== undefined) return;
      const framework = convert.frameworkKey(o.metadata.namespace ?? '', o.spec.framework);
      triggers.rescind([{ offerId: id, framework, agent: o.spec.agent, reason: 'agent-removed' }]);
    } else if (model.agents.get(o.spec.agent)?.active === false && o.spec.response === undefined) {
      // a predecessor's offer on an agent that has since gone inactive
      const framework = convert.frameworkKey(o.metadata.namespace ?? '', o.spec.framework);
      triggers.rescind([{ offerId: id, framework, agent: o.spec.agent, reason: 'agent-inactive' }]);
    }
  }

  #offerGone(o: Offer): void {
    const { model, config, clock, triggers } = this.#o;
    const id = convert.objectKey(o);
    const response = o.spec.response ?? this.#offers.get(id)?.response;
    this.#offers.delete(id);
    const now = clock.now();
    // A decline or accept leaves a filter on what comes back; an accept's resources are held a
    // moment for its tasks. Deleted unanswered (rescinded, or cleaned up): no filter.
    const record =
      response?.accept !== undefined
        ? model.recoverOffer(id, {
            now,
            filterMs: filterDurationMs(config, response.accept.filters?.refuseSeconds),
            holdUntil: now + config.acceptSettleMs,
          })
        : model.recoverOffer(id, {
            now,
            filterMs:
              response?.decline === undefined
                ? undefined
                : filterDurationMs(config, response.decline.filters?.refuseSeconds),
          });
    if (record !== undefined && record.settling === undefined)
      triggers.requestAgents([record.agent]);
  }

  #rescindDropped(
    records: readonly { id: string; framework: string; agent: string; answered?: boolean }[],
    reason: RescindDecision['reason'],
  ): void {
    // an answered offer is the offer controller's to finish (its records are written from it);
    // deleting it midway would leave half an accept behind
    this.#o.triggers.rescind(
      records
        .filter(r => r.answered !== true)
        .map(r => ({ offerId: r.id, framework: r.framework, agent: r.agent, reason })),
    );
  }

  // --- AllocatorPublisher ------------------------------------------------------------------

  /** publishOffers creates the Offers (see ApiPublisher). */
  publishOffers(
    decisions: readonly OfferDecision[],
    signal: AbortSignal,
  ): Promise<readonly string[]> {
    return this.#publisher.publishOffers(decisions, signal);
  }

  /** rescindOffers deletes Offers unless answered meanwhile (see ApiPublisher). */
  rescindOffers(
    rescinds: readonly RescindDecision[],
    signal: AbortSignal,
  ): Promise<readonly string[]> {
    return this.#publisher.rescindOffers(rescinds, signal);
  }

  /** writeQuotaStatus writes each role's figures to its Quota object (see ApiPublisher). */
  writeQuotaStatus(statuses: readonly QuotaRoleStatus[], signal: AbortSignal): Promise<void> {
    return this.#publisher.writeQuotaStatus(statuses, signal);
  }
}
