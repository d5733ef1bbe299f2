// Dominant Resource Fairness share (src/master/allocator/mesos/sorter/drf/sorter.cpp).
import type { ResourceQuantities } from './quantities.ts';

/**
 * dominantShare is max over resource names of allocation / total, divided by the weight (Mesos
 * `DRFSorter::calculateShare`). Names with a zero total and names in `excluded`
 * (`--fair_sharing_excluded_resource_names`, e.g. gpus) are skipped; allocation of a name absent
 * from the total counts for nothing. The result is a double: shares are only compared to order
 * clients, never added back into resource amounts, so the ~1e-16 relative error is harmless, and
 * each ratio is computed from exact amounts. Throws a RangeError unless weight is finite and > 0.
 */
export function dominantShare(
  allocation: ResourceQuantities,
  total: ResourceQuantities,
  weight: number,
  excluded?: ReadonlySet<string>,
): number {
  if (!Number.isFinite(weight) || weight <= 0) {
    throw new RangeError(`weight must be a finite number above zero, got ${weight}`);
  }
  let share = 0;
  for (const [name, amount] of total) {
    if (excluded?.has(name) === true || amount <= 0n) continue;
    const allocated = allocation.get(name);
    if (allocated === 0n) continue;
    share = Math.max(share, Number(allocated) / Number(amount));
  }
  return share / weight;
}
