// Accounting of offered and used resources in the sorters and the role tree (Mesos
// `trackAllocatedResources`/`untrackAllocatedResources` and `trackFrameworkUnderRole`).
import type { Resources } from '../../../core/resources/index.ts';
import { DrfSorter } from '../sorter/drf-sorter.ts';
import type { ShareBasis } from '../sorter/share-basis.ts';
import type { AgentState } from './agent.ts';
import type { FrameworkState } from './framework.ts';
import type { QuotaSlot } from './quota-slot.ts';
import type { RoleTree } from './role-tree.ts';
import type { ScalarNames, ScalarSplit } from './scalar-vector.ts';
import { QuantityVector, splitScalars } from './scalar-vector.ts';

/** HoldingKind: an outstanding offer, or resources a task uses. */
export type HoldingKind = 'offer' | 'used';

/**
 * RoleEntry is a role in the role sorter: its framework sorter, and a slot the cycle fills with
 * the quota that binds the role during one run (so the hot loop needs no map lookups).
 */
export interface RoleEntry {
  readonly name: string;
  readonly frameworks: DrfSorter<FrameworkState>;
  quota: QuotaSlot | undefined;
}

/** LedgerParts are the model pieces the ledger writes to. */
export interface LedgerParts {
  readonly names: ScalarNames;
  readonly basis: ShareBasis;
  readonly roleTree: RoleTree;
}

/**
 * Ledger owns the role sorter, one framework sorter per role, and the cluster-wide sum of
 * offered and used scalars, and keeps them and the role tree in step with every holding.
 */
export class Ledger {
  readonly roleSorter: DrfSorter<RoleEntry>;
  /** roles are the role sorter's entries by name: roles with frameworks tracked. */
  readonly roles = new Map<string, RoleEntry>();
  /** allocated is every offered or used scalar (all roles, reserved and revocable included). */
  readonly allocated = new QuantityVector();
  readonly #parts: LedgerParts;
  /** holdings counts offers and usages per framework and role, to know when to untrack. */
  readonly #holdings = new Map<FrameworkState, Map<string, number>>();

  constructor(parts: LedgerParts) {
    this.#parts = parts;
    this.roleSorter = new DrfSorter<RoleEntry>({ hierarchical: true, basis: parts.basis });
  }

  /** trackFramework puts a framework in a role's sorter (creating the role's entry if needed). */
  trackFramework(fw: FrameworkState, role: string): void {
    if (fw.tracked.has(role)) return;
    let entry = this.roles.get(role);
    if (entry === undefined) {
      const frameworks = new DrfSorter<FrameworkState>({
        hierarchical: false,
        basis: this.#parts.basis,
      });
      entry = { name: role, frameworks, quota: undefined };
      this.roles.set(role, entry);
      this.roleSorter.add(role, entry, true);
    }
    entry.frameworks.add(fw.id, fw, fw.wantsOffers(role));
    fw.tracked.add(role);
    this.#parts.roleTree.ensure(role).frameworks.add(fw.id);
  }

  /** untrackFramework removes a framework from a role unless it still subscribes or holds. */
  untrackFramework(fw: FrameworkState, role: string): void {
    if (!fw.tracked.has(role) || fw.roles.has(role) || this.holdings(fw, role) > 0) return;
    const entry = this.roles.get(role);
    entry?.frameworks.remove(fw.id);
    fw.tracked.delete(role);
    const state = this.#parts.roleTree.get(role);
    state?.frameworks.delete(fw.id);
    if (entry !== undefined && entry.frameworks.size === 0) {
      this.roles.delete(role);
      this.roleSorter.remove(role);
    }
    if (state !== undefined) this.#parts.roleTree.prune(state);
  }

  /** refresh re-reads whether a framework wants offers in each of its tracked roles. */
  refresh(fw: FrameworkState): void {
    for (const role of fw.tracked) {
      const sorter = this.roles.get(role)?.frameworks;
      if (fw.wantsOffers(role)) sorter?.activate(fw.id);
      else sorter?.deactivate(fw.id);
    }
  }

  /** holdings is how many offers and usages a framework has in a role. */
  holdings(fw: FrameworkState, role: string): number {
    return this.#holdings.get(fw)?.get(role) ?? 0;
  }

  #hold(fw: FrameworkState, role: string, by: 1 | -1): void {
    let roles = this.#holdings.get(fw);
    if (roles === undefined) this.#holdings.set(fw, (roles = new Map<string, number>()));
    const n = (roles.get(role) ?? 0) + by;
    if (n > 0) roles.set(role, n);
    else roles.delete(role);
    if (roles.size === 0) this.#holdings.delete(fw);
  }

  /**
   * track accounts a new holding: an offer made or a task's usage. With `extend`, the resources
   * join a holding already counted (a second stage adding to the same offer).
   */
  track(h: Holding, extend = false): void {
    this.trackFramework(h.fw, h.role);
    if (!extend) this.#hold(h.fw, h.role, 1);
    const roleSplit = this.#split(h, 'role', 1);
    const fwSplit = h.agent.hasShared ? this.#split(h, 'framework', 1) : roleSplit;
    const tree = this.#parts.roleTree;
    tree.trackOfferedOrAllocated(h.role, roleSplit, 1);
    if (h.kind === 'used') tree.trackAllocated(h.role, roleSplit, 1);
    this.roleSorter.allocated(h.role, roleSplit.all);
    this.roles.get(h.role)?.frameworks.allocated(h.fw.id, fwSplit.all);
    this.allocated.add(roleSplit.all);
  }

  /** untrack accounts a holding that ended: an offer answered or rescinded, a task finished. */
  untrack(h: Holding): void {
    const roleSplit = this.#split(h, 'role', -1);
    const fwSplit = h.agent.hasShared ? this.#split(h, 'framework', -1) : roleSplit;
    const tree = this.#parts.roleTree;
    tree.trackOfferedOrAllocated(h.role, roleSplit, -1);
    if (h.kind === 'used') tree.trackAllocated(h.role, roleSplit, -1);
    this.roleSorter.unallocated(h.role, roleSplit.all);
    this.roles.get(h.role)?.frameworks.unallocated(h.fw.id, fwSplit.all);
    this.allocated.subtract(roleSplit.all);
    this.#hold(h.fw, h.role, -1);
    this.untrackFramework(h.fw, h.role);
  }

  /**
   * launchFromOffer moves resources from an offer to a task's usage: offered already counts as
   * allocated for fairness, so only reported consumption and the holding count change.
   */
  launchFromOffer(fw: FrameworkState, role: string, resources: Resources): void {
    this.#hold(fw, role, 1);
    this.#parts.roleTree.trackAllocated(role, splitScalars(this.#parts.names, resources), 1);
  }

  /**
   * Shared volumes count once per accounting client and agent however many copies it holds
   * (Mesos `Sorter::Allocation::add`); everything else counts every time.
   */
  #split(h: Holding, level: 'role' | 'framework', sign: 1 | -1): ScalarSplit {
    const names = this.#parts.names;
    if (!h.agent.hasShared) return splitScalars(names, h.resources);
    const shared = h.resources.shared();
    if (shared.isEmpty()) return splitScalars(names, h.resources);
    const client = level === 'role' ? `r\u0000${h.role}` : `f\u0000${h.role}\u0000${h.fw.id}`;
    const before = h.agent.sharedHeld.get(client);
    const after = sign > 0 ? (before?.add(shared) ?? shared) : (before?.subtract(shared) ?? shared);
    if (after.isEmpty()) h.agent.sharedHeld.delete(client);
    else h.agent.sharedHeld.set(client, after);
    const counted =
      sign > 0
        ? shared.filter(r => before === undefined || !before.contains(r))
        : shared.filter(r => !after.contains(r));
    return splitScalars(names, h.resources.nonShared().add(counted));
  }
}

/** Holding is one offer or usage being tracked or untracked. */
export interface Holding {
  readonly agent: AgentState;
  readonly fw: FrameworkState;
  readonly role: string;
  readonly resources: Resources;
  readonly kind: HoldingKind;
}
