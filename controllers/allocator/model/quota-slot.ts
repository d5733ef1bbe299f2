// One quota role's accounting during one allocation cycle (Mesos `rolesConsumedQuota[role]`).
import type { ResourceLimits } from '../../../core/resources/index.ts';
import { ResourceQuantities } from '../../../core/resources/index.ts';
import type { RoleQuota } from './role-tree.ts';

/**
 * QuotaSlot tracks what a top-level quota role has consumed (offered or used unreserved
 * non-revocable scalars, plus all its reservations) as the cycle offers it more, with the two
 * facts the hot loop asks about in O(1): whether the guarantees are met, and whether the limits
 * leave room for anything at all.
 */
export class QuotaSlot {
  readonly role: string;
  readonly guarantees: ResourceQuantities;
  readonly limits: ResourceLimits;
  /** hasFrameworks: the role is in the role sorter, so stage 1 can serve it. */
  readonly hasFrameworks: boolean;
  readonly #clusterNames: readonly string[];
  #consumed: ResourceQuantities;
  #unsatisfied: ResourceQuantities = ResourceQuantities.EMPTY;
  #exhausted = false;

  constructor(init: QuotaSlotInit) {
    this.role = init.role;
    this.guarantees = init.quota.guarantees;
    this.limits = init.quota.limits;
    this.hasFrameworks = init.hasFrameworks;
    this.#clusterNames = init.clusterNames;
    this.#consumed = init.consumed;
    this.#refresh();
  }

  /** consumed is the role's quota consumption so far in this cycle. */
  get consumed(): ResourceQuantities {
    return this.#consumed;
  }

  /** unsatisfied is guarantees − consumed (floored at zero per name). */
  get unsatisfied(): ResourceQuantities {
    return this.#unsatisfied;
  }

  /** exhausted: every scalar the cluster has is limited, and consumption has reached each limit. */
  get exhausted(): boolean {
    return this.#exhausted;
  }

  /** room is limits − consumed: what the role may still take (unlimited names stay unlimited). */
  room(): ResourceLimits {
    return this.limits.subtractQuantities(this.#consumed);
  }

  /** charge counts more consumption. */
  charge(q: ResourceQuantities): void {
    if (q.isEmpty()) return;
    this.#consumed = this.#consumed.add(q);
    this.#refresh();
  }

  #refresh(): void {
    this.#unsatisfied = this.guarantees.subtract(this.#consumed);
    this.#exhausted =
      !this.limits.isEmpty() &&
      this.#clusterNames.every(name => {
        const limit = this.limits.get(name);
        return limit !== undefined && this.#consumed.get(name) >= limit;
      });
  }
}

/** QuotaSlotInit is what a slot starts from. */
export interface QuotaSlotInit {
  readonly role: string;
  readonly quota: RoleQuota;
  readonly consumed: ResourceQuantities;
  readonly hasFrameworks: boolean;
  /** clusterNames are the scalar names with a positive cluster total. */
  readonly clusterNames: readonly string[];
}
