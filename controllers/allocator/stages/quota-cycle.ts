// Quota bookkeeping for one cycle: consumption per quota role and the headroom held back for
// unmet guarantees (Mesos `__generateOffers`, before stage 1).
import { ResourceQuantities } from '../../../core/resources/index.ts';
import type { AllocatorModel } from '../model/model.ts';
import { QuotaSlot } from '../model/quota-slot.ts';
import { RoleTree } from '../model/role-tree.ts';

/** topLevelOf is the top-level role a role belongs to (`a/b/c` → `a`; `*` → `*`). */
export function topLevelOf(role: string): string {
  const i = role.indexOf('/');
  return i < 0 ? role : role.slice(0, i);
}

/**
 * QuotaCycle holds, for one cycle, a slot per top-level role with quota, plus:
 *
 *   requiredHeadroom  = Σ over quota roles of (guarantees − consumed), floored per role
 *   availableHeadroom = total − offered or used − idle reservations − available revocable
 *
 * i.e. what unmet guarantees still need, and the unreserved non-revocable resources that are
 * free. Stages offer unreserved scalars beyond a role's guarantees only out of the surplus.
 */
export class QuotaCycle {
  readonly slots = new Map<string, QuotaSlot>();
  #required: ResourceQuantities = ResourceQuantities.EMPTY;
  #available: ResourceQuantities = ResourceQuantities.EMPTY;
  #surplus: ResourceQuantities | undefined;
  #unsatisfied = 0;

  /** start builds the cycle's quota state and points every role entry at its quota slot. */
  static start(model: AllocatorModel): QuotaCycle {
    const q = new QuotaCycle();
    const names = model.names;
    const totals = model.totals.toQuantities(names);
    const clusterNames = totals.names();
    // 1. Consumption of each top-level role with quota, and what its guarantees still need.
    for (const role of model.roleTree.topLevel()) {
      if (!RoleTree.hasQuota(role)) continue;
      const slot = new QuotaSlot({
        role: role.name,
        quota: role.quota,
        consumed: model.roleTree.quotaOfferedOrConsumed(role),
        hasFrameworks: model.ledger.roles.has(role.name),
        clusterNames,
      });
      q.slots.set(role.name, slot);
      q.#required = q.#required.add(slot.unsatisfied);
      if (slot.hasFrameworks && !slot.unsatisfied.isEmpty()) q.#unsatisfied++;
    }
    // 2. Free unreserved non-revocable resources.
    const root = model.roleTree.root;
    const idleReserved = root.reserved
      .toQuantities(names)
      .subtract(root.offeredOrAllocatedReserved.toQuantities(names));
    let revocable = ResourceQuantities.EMPTY;
    for (const agent of model.agents.values()) {
      if (agent.hasRevocable)
        revocable = revocable.add(agent.available.revocable().scalars().toQuantities());
    }
    q.#available = totals
      .subtract(model.ledger.allocated.toQuantities(names))
      .subtract(idleReserved)
      .subtract(revocable);
    // 3. Every role in the sorter is bound by its top-level role's quota (see `slotFor`).
    for (const entry of model.ledger.roles.values())
      entry.quota = q.slots.get(topLevelOf(entry.name));
    return q;
  }

  /** requiredHeadroom is what unmet guarantees still need. */
  get requiredHeadroom(): ResourceQuantities {
    return this.#required;
  }

  /** availableHeadroom is what is free to meet them. */
  get availableHeadroom(): ResourceQuantities {
    return this.#available;
  }

  /** holdsBack reports that some guarantee is unmet, so headroom must be kept. */
  holdsBack(): boolean {
    return !this.#required.isEmpty();
  }

  /** surplus is availableHeadroom − requiredHeadroom: what may go beyond guarantees. */
  surplus(): ResourceQuantities {
    this.#surplus ??= this.#available.subtract(this.#required);
    return this.#surplus;
  }

  /** anyUnsatisfied reports a quota role with frameworks whose guarantees are still unmet. */
  anyUnsatisfied(): boolean {
    return this.#unsatisfied > 0;
  }

  /**
   * charge counts an offer against quota: `guaranteed` (stage 1's share towards guarantees) comes
   * off the required headroom, and all of it off the available headroom and onto the slot.
   */
  charge(
    slot: QuotaSlot | undefined,
    guaranteed: ResourceQuantities,
    extra: ResourceQuantities,
  ): void {
    const all = guaranteed.add(extra);
    if (all.isEmpty()) return;
    if (slot !== undefined) {
      const wasUnsatisfied = slot.hasFrameworks && !slot.unsatisfied.isEmpty();
      slot.charge(all);
      if (wasUnsatisfied && slot.unsatisfied.isEmpty()) this.#unsatisfied--;
    }
    this.#required = this.#required.subtract(guaranteed);
    this.#available = this.#available.subtract(all);
    this.#surplus = undefined;
  }
}
