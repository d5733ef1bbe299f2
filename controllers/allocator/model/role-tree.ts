// The role tree (Mesos `RoleTree`/`Role` in hierarchical.hpp): weights, quotas, frameworks, and
// the hierarchical scalar totals quota needs. Every total of a role includes its sub-roles, so
// a top-level role's consumption is read in O(1) instead of being summed over agents each cycle.
import {
  DEFAULT_ROLE,
  ResourceLimits,
  ResourceQuantities,
  parent as parentRole,
} from '../../../core/resources/index.ts';
import type { ScalarDelta, ScalarNames, ScalarSplit } from './scalar-vector.ts';
import { QuantityVector } from './scalar-vector.ts';

/** RoleQuota is a role's quota (Mesos QuotaConfig): guarantees and limits, both scalar. */
export interface RoleQuota {
  readonly guarantees: ResourceQuantities;
  readonly limits: ResourceLimits;
}

/** DEFAULT_QUOTA guarantees nothing and limits nothing. */
export const DEFAULT_QUOTA: RoleQuota = {
  guarantees: ResourceQuantities.EMPTY,
  limits: ResourceLimits.NONE,
};

/** RoleState is one tracked role; every vector covers the role and all its sub-roles. */
export interface RoleState {
  readonly name: string;
  readonly parent: RoleState | undefined;
  readonly children: Set<RoleState>;
  weight: number;
  quota: RoleQuota;
  /** frameworks subscribed to the role or holding resources in it. */
  readonly frameworks: Set<string>;
  /** reserved is every scalar reserved to the subtree, offered, used or idle. */
  readonly reserved: QuantityVector;
  /** offeredOrAllocatedQuota is unreserved non-revocable scalars offered or used. */
  readonly offeredOrAllocatedQuota: QuantityVector;
  /** allocatedQuota is unreserved non-revocable scalars used by tasks (not offers). */
  readonly allocatedQuota: QuantityVector;
  /** offeredOrAllocatedReserved is reserved scalars offered or used. */
  readonly offeredOrAllocatedReserved: QuantityVector;
}

function hasQuota(q: RoleQuota): boolean {
  return !q.guarantees.isEmpty() || !q.limits.isEmpty();
}

function makeRole(name: string, parent: RoleState | undefined): RoleState {
  return {
    name,
    parent,
    children: new Set(),
    weight: 1,
    quota: DEFAULT_QUOTA,
    frameworks: new Set(),
    reserved: new QuantityVector(),
    offeredOrAllocatedQuota: new QuantityVector(),
    allocatedQuota: new QuantityVector(),
    offeredOrAllocatedReserved: new QuantityVector(),
  };
}

/**
 * RoleTree tracks roles while they matter (Mesos: a non-default weight or quota, frameworks,
 * reservations, or a tracked descendant) and prunes them when they stop mattering. The root
 * (named '') holds cluster-wide totals. `*` is a top-level role like any other.
 */
export class RoleTree {
  readonly root: RoleState = makeRole('', undefined);
  readonly #roles = new Map<string, RoleState>();
  readonly #names: ScalarNames;

  constructor(names: ScalarNames) {
    this.#names = names;
  }

  /** get returns a tracked role. */
  get(role: string): RoleState | undefined {
    return this.#roles.get(role);
  }

  /** roles lists every tracked role. */
  roles(): IterableIterator<RoleState> {
    return this.#roles.values();
  }

  /** topLevel lists the root's children (the roles that may carry quota). */
  topLevel(): Iterable<RoleState> {
    return this.root.children;
  }

  /** ensure tracks a role and its ancestors. */
  ensure(role: string): RoleState {
    const found = this.#roles.get(role);
    if (found !== undefined) return found;
    const up = role === DEFAULT_ROLE ? undefined : parentRole(role);
    const parent = up === undefined ? this.root : this.ensure(up);
    const state = makeRole(role, parent);
    parent.children.add(state);
    this.#roles.set(role, state);
    return state;
  }

  /** prune stops tracking a role (and then its ancestors) once nothing keeps it. */
  prune(role: RoleState): void {
    let cur: RoleState | undefined = role;
    while (cur !== undefined && cur !== this.root && this.#isEmpty(cur)) {
      cur.parent?.children.delete(cur);
      this.#roles.delete(cur.name);
      cur = cur.parent;
    }
  }

  #isEmpty(r: RoleState): boolean {
    return (
      r.children.size === 0 &&
      r.frameworks.size === 0 &&
      r.weight === 1 &&
      !hasQuota(r.quota) &&
      r.reserved.isZero() &&
      r.offeredOrAllocatedQuota.isZero() &&
      r.offeredOrAllocatedReserved.isZero()
    );
  }

  /** trackReservations adds (or with sign -1 removes) scalars reserved to `role`. */
  trackReservations(role: string, delta: ScalarDelta, sign: 1 | -1): void {
    if (delta.idx.length === 0) return;
    const state = this.ensure(role);
    for (let r: RoleState | undefined = state; r !== undefined; r = r.parent) {
      if (sign > 0) r.reserved.add(delta);
      else r.reserved.subtract(delta);
    }
    if (sign < 0) this.prune(state);
  }

  /** trackOffered counts resources offered to or used in `role` (sign -1 when they return). */
  trackOfferedOrAllocated(role: string, split: ScalarSplit, sign: 1 | -1): void {
    for (let r: RoleState | undefined = this.ensure(role); r !== undefined; r = r.parent) {
      if (sign > 0) {
        r.offeredOrAllocatedQuota.add(split.quota);
        r.offeredOrAllocatedReserved.add(split.reserved);
      } else {
        r.offeredOrAllocatedQuota.subtract(split.quota);
        r.offeredOrAllocatedReserved.subtract(split.reserved);
      }
    }
  }

  /** trackAllocated counts resources used by tasks in `role` (for reported consumption). */
  trackAllocated(role: string, split: ScalarSplit, sign: 1 | -1): void {
    for (let r: RoleState | undefined = this.ensure(role); r !== undefined; r = r.parent) {
      if (sign > 0) r.allocatedQuota.add(split.quota);
      else r.allocatedQuota.subtract(split.quota);
    }
  }

  /**
   * quotaConsumed is what the allocator charges against a role's quota: its subtree's offered or
   * used unreserved non-revocable scalars plus all its reservations (Mesos
   * `quotaOfferedOrConsumed`). Reservations count whether used or idle.
   */
  quotaOfferedOrConsumed(r: RoleState): ResourceQuantities {
    return r.offeredOrAllocatedQuota
      .toQuantities(this.#names)
      .add(r.reserved.toQuantities(this.#names));
  }

  /** quotaConsumed is consumption as Mesos reports it: used (not offered) plus reservations. */
  quotaConsumed(r: RoleState): ResourceQuantities {
    return r.allocatedQuota.toQuantities(this.#names).add(r.reserved.toQuantities(this.#names));
  }

  /** hasQuota reports a role with non-default quota. */
  static hasQuota(r: RoleState): boolean {
    return hasQuota(r.quota);
  }
}
