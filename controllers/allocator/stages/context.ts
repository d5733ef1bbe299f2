// What both stages share during one cycle: the eligibility checks of Mesos's pipeline
// (hierarchical.cpp `__generateOffers`, `allocatable`, `isCapableOfReceivingAgent`,
// `stripIncapableResources`, `isFiltered`) and the commit of an offer.
import type { Resource, ResourceQuantities, Resources } from '../../../core/resources/index.ts';
import { isReserved } from '../../../core/resources/index.ts';
import type { AllocatorConfig } from '../config.ts';
import type { AgentState } from '../model/agent.ts';
import type { FilterClock } from '../model/filters.ts';
import type { FrameworkState } from '../model/framework.ts';
import { grantOffer } from '../model/holdings.ts';
import type { AllocatorModel } from '../model/model.ts';
import type { OfferRecord } from '../model/records.ts';
import { containsAny } from '../model/resource-cache.ts';
import type { Random } from '../random.ts';
import type { QuotaCycle } from './quota-cycle.ts';

/** isQuotaScalar: an unreserved, non-revocable scalar, the only kind quota and headroom count. */
export const isQuotaScalar = (r: Resource): boolean =>
  r.value.type === 'SCALAR' && r.reservations.length === 0 && !r.revocable;

/** StageOutcome: `break` when the role has nothing left on the agent, else `next` framework. */
export type StageOutcome = 'break' | 'next';

/** CycleContext carries one cycle's inputs and the offers it has made so far. */
export class CycleContext {
  readonly model: AllocatorModel;
  readonly config: AllocatorConfig;
  readonly now: number;
  readonly random: Random;
  readonly quota: QuotaCycle;
  readonly made: OfferRecord[] = [];
  readonly #filterClock: FilterClock;
  #lastChecked: Resources | undefined;
  #lastMin: readonly ResourceQuantities[] | undefined;
  #lastAnswer = false;
  readonly #offeredShared = new Map<AgentState, Resources>();
  /** offered: this cycle's offers per agent, to merge a stage-2 grant into a stage-1 offer. */
  readonly #offered = new Map<AgentState, OfferRecord[]>();

  constructor(init: CycleContextInit) {
    this.model = init.model;
    this.config = init.config;
    this.now = init.now;
    this.random = init.random;
    this.quota = init.quota;
    this.#filterClock = { now: init.now, cyclesCompleted: init.model.cyclesCompleted };
  }

  /**
   * availableFor is what the agent can offer the role: its available resources that are
   * unreserved or reserved to the role or an ancestor, less shared volumes already offered this
   * cycle (each is offered at most once per cycle, as in Mesos).
   */
  availableFor(agent: AgentState, role: string): Resources {
    let available = agent.available;
    if (agent.hasReserved) available = available.allocatableTo(role);
    if (agent.hasShared) {
      const offered = this.#offeredShared.get(agent);
      if (offered !== undefined) available = available.subtract(offered);
    }
    return available;
  }

  /**
   * allocatable is Mesos's min-allocatable check: never for nothing; otherwise the framework's
   * per-role list, or the cluster's, must have a set the resources hold, and an empty list
   * accepts anything.
   */
  allocatable(resources: Resources, role: string, fw: FrameworkState): boolean {
    if (resources.isEmpty()) return false;
    const min = fw.minAllocatable.get(role) ?? this.config.minAllocatable;
    if (min.length === 0) return true;
    // Most frameworks on one agent share the cluster minimum: remember the last answer.
    if (resources === this.#lastChecked && min === this.#lastMin) return this.#lastAnswer;
    this.#lastChecked = resources;
    this.#lastMin = min;
    this.#lastAnswer = containsAny(resources, min);
    return this.#lastAnswer;
  }

  /** capable: GPU agents only for GPU_RESOURCES, remote regions only for REGION_AWARE. */
  capable(fw: FrameworkState, agent: AgentState): boolean {
    if (this.config.filterGpuResources && agent.hasGpu && !fw.gpu) return false;
    const remote =
      this.config.region !== undefined &&
      agent.region !== undefined &&
      agent.region !== this.config.region;
    return !remote || fw.regionAware;
  }

  /** strip removes what the framework cannot take: shared, revocable, refined reservations. */
  strip(resources: Resources, fw: FrameworkState, agent: AgentState): Resources {
    const shared = agent.hasShared && !fw.shared;
    const revocable = agent.hasRevocable && !fw.revocable;
    const refined = agent.hasRefined && !fw.refinement;
    if (!shared && !revocable && !refined) return resources;
    return resources.filter(
      r =>
        !(shared && r.shared) &&
        !(revocable && r.revocable) &&
        !(refined && r.reservations.length > 1),
    );
  }

  /**
   * filtered: MULTI_ROLE frameworks are not offered agents without MULTI_ROLE, nor hierarchical
   * roles agents without HIERARCHICAL_ROLE; then the framework's decline filters.
   */
  filtered(fw: FrameworkState, role: string, agent: AgentState, resources: Resources): boolean {
    if (fw.multiRole && !agent.multiRole) return true;
    if (!agent.hierarchicalRole && role.includes('/')) return true;
    return fw.filters.isFiltered(role, agent.id, resources, this.#filterClock);
  }

  /** commit offers resources: one offer per framework, role and agent per cycle. */
  commit(agent: AgentState, role: string, fw: FrameworkState, resources: Resources): void {
    const here = this.#offered.get(agent);
    const same = here?.find(o => o.framework === fw.id && o.role === role);
    const id = same?.id ?? this.model.nextOfferId(fw.id, role, agent.id);
    const timeout = this.config.offerTimeoutMs;
    const record = grantOffer(this.model, {
      id,
      agent,
      fw,
      role,
      resources,
      now: this.now,
      expiresAt: timeout === undefined ? undefined : this.now + timeout,
      fromAvailable: true,
    });
    if (same === undefined) {
      this.made.push(record);
      if (here === undefined) this.#offered.set(agent, [record]);
      else here.push(record);
    }
    if (agent.hasShared) {
      const shared = resources.shared();
      const before = this.#offeredShared.get(agent);
      if (!shared.isEmpty()) this.#offeredShared.set(agent, before?.add(shared) ?? shared);
    }
  }
}

/** CycleContextInit is what a context is built from. */
export interface CycleContextInit {
  readonly model: AllocatorModel;
  readonly config: AllocatorConfig;
  readonly now: number;
  readonly random: Random;
  readonly quota: QuotaCycle;
}

/** keepsAlways: what stage 2 offers regardless of limits and headroom (Mesos). */
export const keepsAlways = (r: Resource): boolean =>
  isReserved(r) || r.value.type !== 'SCALAR' || r.revocable;
