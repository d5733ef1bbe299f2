// One framework as the allocator sees it (Mesos `Framework` in hierarchical.hpp).
import type { ResourceQuantities } from '../../../core/resources/index.ts';
import type { FrameworkCapability } from '../../../core/types/index.ts';
import { OfferFilters } from './filters.ts';

/** FrameworkInit describes a framework to add or update. */
export interface FrameworkInit {
  /** id is unique across namespaces: `namespace/name` for Framework objects. */
  readonly id: string;
  readonly roles: readonly string[];
  readonly capabilities?: readonly FrameworkCapability[];
  readonly suppressedRoles?: readonly string[];
  /**
   * minAllocatable overrides the cluster's minimum allocatable resources per role. A role mapped
   * to an empty list accepts any non-empty offer; an absent role uses the cluster default.
   */
  readonly minAllocatable?: ReadonlyMap<string, readonly ResourceQuantities[]>;
  /** active is false while the framework is disconnected: it gets no offers. */
  readonly active?: boolean;
}

/** FrameworkState is one framework's allocation state. */
export class FrameworkState {
  readonly id: string;
  roles: ReadonlySet<string> = new Set();
  suppressed: ReadonlySet<string> = new Set();
  minAllocatable: ReadonlyMap<string, readonly ResourceQuantities[]> = new Map();
  active = true;
  /** removed: the Framework is gone but tasks still hold resources; dropped once they end. */
  removed = false;
  revocable = false;
  shared = false;
  gpu = false;
  multiRole = false;
  refinement = false;
  regionAware = false;
  /** tracked: roles whose sorter holds this framework (subscribed, or still holding resources). */
  readonly tracked = new Set<string>();
  readonly filters = new OfferFilters();

  constructor(init: FrameworkInit) {
    this.id = init.id;
    this.describe(init);
  }

  /** describe takes an update's fields (roles, capabilities, suppression, filters, activity). */
  describe(init: FrameworkInit): void {
    const caps = new Set(init.capabilities ?? []);
    this.roles = new Set(init.roles);
    this.suppressed = new Set((init.suppressedRoles ?? []).filter(r => this.roles.has(r)));
    this.minAllocatable = init.minAllocatable ?? new Map();
    this.active = init.active ?? true;
    this.revocable = caps.has('REVOCABLE_RESOURCES');
    this.shared = caps.has('SHARED_RESOURCES');
    this.gpu = caps.has('GPU_RESOURCES');
    this.multiRole = caps.has('MULTI_ROLE');
    this.refinement = caps.has('RESERVATION_REFINEMENT');
    this.regionAware = caps.has('REGION_AWARE');
  }

  /** wantsOffers reports whether the framework should be in a role's sort: subscribed, active, unsuppressed. */
  wantsOffers(role: string): boolean {
    return this.active && this.roles.has(role) && !this.suppressed.has(role);
  }
}
