// The allocator's in-memory model: agents, frameworks, roles, quotas, filters, offers and usage,
// kept current by event handlers (the API adapter's watches, or tests) and read by the cycle.
// Every method is synchronous and pure of I/O and time: callers pass `now` where time matters.
import type { Resources } from '../../../core/resources/index.ts';
import { ShareBasis } from '../sorter/share-basis.ts';
import type { AgentInit } from './agent.ts';
import { AgentState } from './agent.ts';
import type { FrameworkInit } from './framework.ts';
import { FrameworkState } from './framework.ts';
import * as holdings from './holdings.ts';
import { Ledger } from './ledger.ts';
import type { OfferInit, OfferRecord, RecoverOptions, UsageInit, UsageRecord } from './records.ts';
import type { RoleQuota } from './role-tree.ts';
import { DEFAULT_QUOTA, RoleTree } from './role-tree.ts';
import type { ScalarDelta } from './scalar-vector.ts';
import { QuantityVector, ScalarNames, splitScalars } from './scalar-vector.ts';

/** OfferIdInput is what an offer id may be derived from. */
export interface OfferIdInput {
  readonly framework: string;
  readonly role: string;
  readonly agent: string;
  readonly seq: number;
}

/** ModelOptions configure a model. */
export interface ModelOptions {
  /** excludedResourceNames are left out of DRF shares (`--fair_sharing_excluded_resource_names`). */
  readonly excludedResourceNames?: Iterable<string>;
  /** offerId names new offers; default `offer-<seq>`. It must be unique per seq. */
  readonly offerId?: (input: OfferIdInput) => string;
}

/** AllocatorModel is the state the allocation cycle works on. */
export class AllocatorModel implements holdings.HoldingsHost {
  readonly names = new ScalarNames();
  readonly basis: ShareBasis;
  readonly roleTree: RoleTree;
  readonly ledger: Ledger;
  readonly agents = new Map<string, AgentState>();
  readonly frameworks = new Map<string, FrameworkState>();
  readonly offers = new Map<string, OfferRecord>();
  readonly usages = new Map<string, UsageRecord>();
  /** settling are accepted offers held for the tasks they launched (see holdings). */
  readonly settling = new Set<OfferRecord>();
  /** cyclesCompleted counts full cycles; decline filters outlive at least one (MESOS-4302). */
  cyclesCompleted = 0;
  readonly #offerId: (input: OfferIdInput) => string;
  #offerSeq = 0;

  constructor(options: ModelOptions = {}) {
    this.basis = new ShareBasis(
      this.names,
      new QuantityVector(),
      new Set(options.excludedResourceNames ?? []),
    );
    this.roleTree = new RoleTree(this.names);
    this.ledger = new Ledger({ names: this.names, basis: this.basis, roleTree: this.roleTree });
    this.#offerId = options.offerId ?? (i => `offer-${i.seq}`);
  }

  /** nextOfferId names the next new offer. */
  nextOfferId(framework: string, role: string, agent: string): string {
    return this.#offerId({ framework, role, agent, seq: ++this.#offerSeq });
  }

  // --- Agents -------------------------------------------------------------------------------

  /**
   * upsertAgent adds an agent or applies an update to it. Returns whether it may now have more
   * to offer (new, its total changed, reactivated, or its capabilities changed): the caller then triggers an
   * allocation for it. A changed set of attributes clears every filter on it, as in Mesos.
   */
  upsertAgent(init: AgentInit): boolean {
    const agent = this.agents.get(init.id);
    if (agent === undefined) {
      const created = new AgentState(init, this.names);
      this.agents.set(init.id, created);
      this.#trackTotal(created.total, 1);
      return true;
    }
    const wasActive = agent.active;
    const caps = `${agent.multiRole}/${agent.hierarchicalRole}`;
    const attributes = JSON.stringify(agent.attributes);
    agent.describe(init);
    if (JSON.stringify(agent.attributes) !== attributes) {
      for (const fw of this.frameworks.values()) fw.filters.clearAgent(agent.id);
    }
    const changed = !agent.total.equals(init.total);
    if (changed) {
      this.#trackTotal(agent.total, -1);
      agent.setTotal(init.total, this.names);
      this.#trackTotal(agent.total, 1);
    }
    return (
      changed ||
      (agent.active && !wasActive) ||
      caps !== `${agent.multiRole}/${agent.hierarchicalRole}`
    );
  }

  #trackTotal(total: Resources, sign: 1 | -1): void {
    const split = splitScalars(this.names, total);
    if (sign > 0) this.basis.addTotal(split.all);
    else this.basis.subtractTotal(split.all);
    for (const [role, reserved] of total.reservations()) {
      this.roleTree.trackReservations(role, splitScalars(this.names, reserved).all, sign);
    }
  }

  /** removeAgent forgets an agent with its offers (returned, to be rescinded) and usage. */
  removeAgent(id: string): OfferRecord[] {
    const agent = this.agents.get(id);
    if (agent === undefined) return [];
    const dropped = [...agent.offers].flatMap(o => this.offers.get(o) ?? []);
    for (const record of dropped) holdings.dropOffer(this, record);
    for (const usage of [...agent.usages]) holdings.release(this, usage);
    for (const fw of this.frameworks.values()) {
      fw.filters.clearAgent(id);
      this.forget(fw);
    }
    this.#trackTotal(agent.total, -1);
    this.agents.delete(id);
    return dropped;
  }

  // --- Frameworks ---------------------------------------------------------------------------

  /** framework returns a framework, creating an inactive, role-less placeholder if unknown. */
  framework(id: string): FrameworkState {
    let fw = this.frameworks.get(id);
    if (fw === undefined) {
      fw = new FrameworkState({ id, roles: [], active: false });
      fw.removed = true;
      this.frameworks.set(id, fw);
    }
    return fw;
  }

  /** forget drops a removed framework once it holds nothing anywhere. */
  forget(fw: FrameworkState): void {
    if (fw.removed && fw.tracked.size === 0) this.frameworks.delete(fw.id);
  }

  /**
   * upsertFramework adds a framework or applies an update (Mesos addFramework, updateFramework,
   * activate/deactivate, suppress). Returns whether it should trigger an allocation: it is new and
   * active, was reactivated, or un-suppressed a role (which, as REVIVE, clears that role's
   * filters). Deactivation clears all its filters.
   */
  upsertFramework(init: FrameworkInit): boolean {
    const known = this.frameworks.get(init.id);
    const fw = known ?? new FrameworkState(init);
    const wasActive = known !== undefined && !known.removed && known.active;
    const before = known === undefined || known.removed ? new Set<string>() : known.suppressed;
    this.frameworks.set(fw.id, fw);
    fw.removed = false;
    fw.describe(init);
    if (!fw.active) fw.filters.clear();
    const unsuppressed = [...before].filter(r => fw.roles.has(r) && !fw.suppressed.has(r));
    for (const role of unsuppressed) fw.filters.clearRole(role);
    for (const role of fw.tracked) if (!fw.roles.has(role)) fw.filters.clearRole(role);
    for (const role of fw.roles) this.ledger.trackFramework(fw, role);
    for (const role of [...fw.tracked]) this.ledger.untrackFramework(fw, role);
    this.ledger.refresh(fw);
    return fw.active && (!wasActive || unsuppressed.length > 0);
  }

  /** revive clears the filters of some roles (all when omitted) and un-suppresses them. */
  revive(id: string, roles?: readonly string[]): boolean {
    const fw = this.frameworks.get(id);
    if (fw === undefined || fw.removed) return false;
    const which = roles ?? [...fw.roles];
    for (const role of which) fw.filters.clearRole(role);
    fw.suppressed = new Set([...fw.suppressed].filter(r => !which.includes(r)));
    this.ledger.refresh(fw);
    return fw.active;
  }

  /** suppress stops offers to some roles (all when omitted); outstanding offers stay. */
  suppress(id: string, roles?: readonly string[]): void {
    const fw = this.frameworks.get(id);
    if (fw === undefined || fw.removed) return;
    const which = (roles ?? [...fw.roles]).filter(r => fw.roles.has(r));
    fw.suppressed = new Set([...fw.suppressed, ...which]);
    this.ledger.refresh(fw);
  }

  /** removeFramework forgets a framework; its offers are returned (to be rescinded). */
  removeFramework(id: string): OfferRecord[] {
    const fw = this.frameworks.get(id);
    if (fw === undefined) return [];
    const dropped = [...this.offers.values()].filter(o => o.framework === id);
    for (const record of dropped) holdings.dropOffer(this, record);
    fw.describe({ id, roles: [], active: false });
    fw.removed = true;
    fw.filters.clear();
    for (const role of [...fw.tracked]) this.ledger.untrackFramework(fw, role);
    this.ledger.refresh(fw);
    this.forget(fw);
    return dropped;
  }

  // --- Roles and quota -----------------------------------------------------------------------

  /** setWeight sets a role's weight (1 when omitted); it affects later cycles only. */
  setWeight(role: string, weight = 1): void {
    if (!Number.isFinite(weight) || weight <= 0) throw new RangeError(`invalid weight ${weight}`);
    const state = this.roleTree.ensure(role);
    state.weight = weight;
    this.ledger.roleSorter.updateWeight(role, weight);
    this.roleTree.prune(state);
  }

  /** setQuota sets a role's quota (the default, none, when omitted). */
  setQuota(role: string, quota: RoleQuota = DEFAULT_QUOTA): void {
    const state = this.roleTree.ensure(role);
    state.quota = quota;
    this.roleTree.prune(state);
  }

  // --- Offers and usage ----------------------------------------------------------------------

  /** adoptOffer counts an existing offer (see holdings.adoptOffer). */
  adoptOffer(init: OfferInit): boolean {
    return holdings.adoptOffer(this, init);
  }

  /** markAnswered notes that a framework replied to an offer: no timeout rescinds it now. */
  markAnswered(id: string): void {
    const record = this.offers.get(id);
    if (record !== undefined) record.answered = true;
  }

  /** recoverOffer returns an offer's resources (see holdings.recoverOffer). */
  recoverOffer(id: string, opts: RecoverOptions): OfferRecord | undefined {
    return holdings.recoverOffer(this, id, opts);
  }

  /** settle returns what accepted offers still hold once their launch window has passed. */
  settle(now: number): OfferRecord[] {
    return holdings.settleOffers(this, now);
  }

  /** expiredOffers lists unanswered offers whose timeout has passed. */
  expiredOffers(now: number): OfferRecord[] {
    return [...this.offers.values()].filter(
      o =>
        !o.answered && o.settling === undefined && o.expiresAt !== undefined && o.expiresAt <= now,
    );
  }

  /** launch counts a task's resources as used (see holdings.launch). */
  launch(init: UsageInit): boolean {
    return holdings.launch(this, init);
  }

  /** release returns a finished or deleted task's resources. */
  release(id: string): boolean {
    return holdings.release(this, id);
  }

  /** totals is the cluster's total scalar quantities. */
  get totals(): QuantityVector {
    return this.basis.totals;
  }

  /** totalDelta is the scalars of some resources as a delta (for tests and reports). */
  delta(resources: Resources): ScalarDelta {
    return splitScalars(this.names, resources).all;
  }
}
