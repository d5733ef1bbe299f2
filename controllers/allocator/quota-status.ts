// What each Quota's status reports: consumption as Mesos reports it, what is on offer, and
// what the allocator holds back for the role's unmet guarantees.
import type { ResourceQuantities } from '../../core/resources/index.ts';
import type { AllocatorModel } from './model/model.ts';
import { RoleTree } from './model/role-tree.ts';

/** QuotaRoleStatus is one quota role's figures (all scalar quantities). */
export interface QuotaRoleStatus {
  readonly role: string;
  /**
   * consumed: reservations of the role and its sub-roles (used or idle) plus unreserved
   * non-revocable resources their tasks use; offers do not count (Mesos `quotaConsumed`).
   */
  readonly consumed: ResourceQuantities;
  /** offered: unreserved non-revocable resources in outstanding offers to the subtree. */
  readonly offered: ResourceQuantities;
  /**
   * headroom: what is held back from other roles for this one, guarantees − (consumed +
   * offered): offered resources are no longer held back, they are in the role's hands.
   */
  readonly headroom: ResourceQuantities;
}

/** quotaStatus computes the status of every top-level role with a quota, sorted by role. */
export function quotaStatus(model: AllocatorModel): QuotaRoleStatus[] {
  const out: QuotaRoleStatus[] = [];
  const names = model.names;
  for (const role of model.roleTree.topLevel()) {
    if (!RoleTree.hasQuota(role)) continue;
    const consumed = model.roleTree.quotaConsumed(role);
    const offered = role.offeredOrAllocatedQuota
      .toQuantities(names)
      .subtract(role.allocatedQuota.toQuantities(names));
    const headroom = role.quota.guarantees.subtract(consumed).subtract(offered);
    out.push({ role: role.name, consumed, offered, headroom });
  }
  return out.sort((a, b) => (a.role < b.role ? -1 : a.role > b.role ? 1 : 0));
}

/** sameStatus reports two statuses with equal figures (to skip needless writes). */
export function sameStatus(a: QuotaRoleStatus, b: QuotaRoleStatus): boolean {
  return (
    a.role === b.role &&
    a.consumed.equals(b.consumed) &&
    a.offered.equals(b.offered) &&
    a.headroom.equals(b.headroom)
  );
}
