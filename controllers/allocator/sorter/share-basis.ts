// The denominator of every DRF share: the cluster's total scalar quantities, minus the names
// excluded from fair sharing. One basis is shared by the role sorter and every framework sorter,
// so adding an agent updates one vector and bumps one version instead of touching each sorter.
import { scalarToNumber } from '../../../core/resources/index.ts';
import type { QuantityVector, ScalarDelta, ScalarNames } from '../model/scalar-vector.ts';

/**
 * ShareBasis computes dominant shares against the cluster totals (Mesos
 * `DRFSorter::calculateShare`): max over names with a positive total, not excluded, of
 * allocation / total. Sorters compare `version` to know when every share must be recomputed.
 */
export class ShareBasis {
  readonly #names: ScalarNames;
  readonly #totals: QuantityVector;
  readonly #excluded: ReadonlySet<string>;
  #version = 0;
  #inverse: number[] = [];
  #inverseVersion = -1;

  constructor(names: ScalarNames, totals: QuantityVector, excluded: ReadonlySet<string>) {
    this.#names = names;
    this.#totals = totals;
    this.#excluded = excluded;
  }

  /** version changes whenever the totals change; shares computed before it are stale. */
  get version(): number {
    return this.#version;
  }

  /** addTotal grows the cluster totals (an agent joined or grew). */
  addTotal(d: ScalarDelta): void {
    if (d.idx.length === 0) return;
    this.#totals.add(d);
    this.#version++;
  }

  /** subtractTotal shrinks the cluster totals (an agent left or shrank). */
  subtractTotal(d: ScalarDelta): void {
    if (d.idx.length === 0) return;
    this.#totals.subtract(d);
    this.#version++;
  }

  /** totals is the cluster's total scalar quantities (read-only for callers). */
  get totals(): QuantityVector {
    return this.#totals;
  }

  #refresh(): number[] {
    if (this.#inverseVersion === this.#version) return this.#inverse;
    const inv: number[] = [];
    for (let i = 0; i < this.#totals.length; i++) {
      const total = scalarToNumber(this.#totals.get(i));
      const excluded = this.#excluded.has(this.#names.nameAt(i));
      inv.push(total > 0 && !excluded ? 1 / total : 0);
    }
    this.#inverse = inv;
    this.#inverseVersion = this.#version;
    return inv;
  }

  /** share is the dominant share of an allocation divided by the weight. */
  share(allocation: QuantityVector, weight: number): number {
    const inv = this.#refresh();
    let share = 0;
    const n = Math.min(inv.length, allocation.length);
    for (let i = 0; i < n; i++) {
      const f = inv[i] as number;
      if (f === 0) continue;
      const s = scalarToNumber(allocation.get(i)) * f;
      if (s > share) share = s;
    }
    return share / weight;
  }
}
