// One agent as the allocator sees it (Mesos `Slave` in hierarchical.hpp): its total, what is
// offered or used on it, and what is left. `available` is kept precomputed; offering all of it
// (the common coarse-grained case) costs one add and no subtraction.
import type { AgentCapability } from '../../../core/types/index.ts';
import { Resources, hasRefinedReservations, isReserved } from '../../../core/resources/index.ts';
import type { ScalarNames, ScalarSplit } from './scalar-vector.ts';
import { splitScalars } from './scalar-vector.ts';

/** AgentInit describes an agent to add or update. */
export interface AgentInit {
  readonly id: string;
  readonly hostname?: string;
  /** total: everything the agent has, with reservations, volumes and revocable resources. */
  readonly total: Resources;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly capabilities?: readonly AgentCapability[];
  /** region is the fault-domain region; remote regions go to REGION_AWARE frameworks only. */
  readonly region?: string;
  /** active is false while unreachable, draining or cordoned: nothing is offered from it. */
  readonly active?: boolean;
}

/** AgentState is one agent's allocation state. */
export class AgentState {
  readonly id: string;
  hostname: string;
  attributes: Readonly<Record<string, string>>;
  region: string | undefined;
  multiRole = false;
  hierarchicalRole = false;
  active = true;
  /** offers and usages on this agent, by id, so removing the agent finds them. */
  readonly offers = new Set<string>();
  readonly usages = new Set<string>();
  /** sharedHeld: per accounting client, the shared volumes it holds here (counted once). */
  readonly sharedHeld = new Map<string, Resources>();
  hasShared = false;
  hasRevocable = false;
  hasReserved = false;
  hasRefined = false;
  hasGpu = false;
  totalSplit: ScalarSplit;
  #total: Resources = Resources.EMPTY;
  #offeredOrAllocated: Resources = Resources.EMPTY;
  /** pending: offers taken out of `available` by the cycle, not yet added to the sum. */
  #pending: Resources[] = [];
  #available: Resources = Resources.EMPTY;

  constructor(init: AgentInit, names: ScalarNames) {
    this.id = init.id;
    this.hostname = init.hostname ?? init.id;
    this.attributes = init.attributes ?? {};
    this.region = init.region;
    this.totalSplit = splitScalars(names, Resources.EMPTY);
    this.describe(init);
    this.setTotal(init.total, names);
  }

  /** describe takes the non-resource facts of an update. */
  describe(init: AgentInit): void {
    this.hostname = init.hostname ?? init.id;
    this.attributes = init.attributes ?? {};
    this.region = init.region;
    this.multiRole = init.capabilities?.includes('MULTI_ROLE') ?? false;
    this.hierarchicalRole = init.capabilities?.includes('HIERARCHICAL_ROLE') ?? false;
    this.active = init.active ?? true;
  }

  /** total is everything the agent has. */
  get total(): Resources {
    return this.#total;
  }

  /** offeredOrAllocated is the sum of outstanding offers and task usage on the agent. */
  get offeredOrAllocated(): Resources {
    this.#fold();
    return this.#offeredOrAllocated;
  }

  /**
   * available is total − offered − used. Shared volumes stay available while in use (Mesos offers
   * them again); the cycle offers each at most once per run.
   */
  get available(): Resources {
    return this.#available;
  }

  /** setTotal replaces the total (a reconfiguration, reservation, volume or revocable estimate). */
  setTotal(total: Resources, names: ScalarNames): void {
    this.#total = total;
    this.totalSplit = splitScalars(names, total);
    this.hasShared = false;
    this.hasRevocable = false;
    this.hasReserved = false;
    this.hasRefined = false;
    for (const r of total) {
      this.hasShared ||= r.shared;
      this.hasRevocable ||= r.revocable;
      this.hasReserved ||= isReserved(r);
      this.hasRefined ||= hasRefinedReservations(r);
    }
    this.hasGpu = !total.named('gpus').isEmpty();
    this.#recompute();
  }

  /**
   * take marks resources as offered or used. With `fromAvailable` (the cycle, which only offers
   * parts of `available`), available shrinks by exactly that and adding to the offered-or-used sum
   * is deferred to the next event that needs it, keeping the cycle's hot path to one subtraction
   * (none when everything available is offered). Otherwise the resources may lie outside
   * `available` (a task or offer learned from the API) and everything is recomputed.
   */
  take(resources: Resources, fromAvailable = false): void {
    if (resources.isEmpty()) return;
    if (fromAvailable && !this.hasShared) {
      this.#available =
        resources === this.#available ? Resources.EMPTY : this.#available.subtract(resources);
      this.#pending.push(resources);
      return;
    }
    this.#fold();
    this.#offeredOrAllocated = this.#offeredOrAllocated.add(resources);
    this.#recompute();
  }

  /**
   * give returns resources that were offered or used. An offer the cycle took out of
   * `available` and whose addition to the sum is still deferred simply goes back: everything
   * taken since was taken from what was left, so the two never overlap and adding it back is
   * exact.
   */
  give(resources: Resources): void {
    if (resources.isEmpty()) return;
    const i = this.#pending.lastIndexOf(resources);
    if (i >= 0) {
      this.#pending.splice(i, 1);
      this.#available = this.#available.add(resources);
      return;
    }
    this.#fold();
    this.#offeredOrAllocated = this.#offeredOrAllocated.subtract(resources);
    this.#recompute();
  }

  #fold(): void {
    if (this.#pending.length === 0) return;
    this.#offeredOrAllocated = Resources.sum([this.#offeredOrAllocated, ...this.#pending]);
    this.#pending = [];
  }

  #recompute(): void {
    this.#fold();
    if (!this.hasShared) {
      this.#available = this.#total.subtract(this.#offeredOrAllocated);
      return;
    }
    this.#available = this.#total
      .nonShared()
      .subtract(this.#offeredOrAllocated.nonShared())
      .add(this.#total.shared());
  }
}
