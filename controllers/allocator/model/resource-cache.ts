// Memoised facts about immutable `Resources` values. An agent's available resources are one
// value until they change, and the cycle asks the same questions of it for every role and
// framework it visits; a WeakMap keyed by the value answers them once per value.
import type {
  ResourceEntry,
  ResourceQuantities,
  Resources,
  Scalar,
} from '../../../core/resources/index.ts';
import {
  ZERO_SCALAR,
  isReserved,
  rangesSize,
  scalarAdd,
  scalarFromUnits,
} from '../../../core/resources/index.ts';

const PLAIN = new WeakMap<Resources, boolean>();

/**
 * onlyQuotaScalars reports resources that are all unreserved, non-revocable, non-shared scalars:
 * the only kind quota limits and headroom can hold back. When a role's limits or the headroom
 * leave no room, such an agent has nothing for the role at all, which lets the cycle skip it.
 */
export function onlyQuotaScalars(resources: Resources): boolean {
  let plain = PLAIN.get(resources);
  if (plain === undefined) {
    plain = true;
    for (const r of resources) {
      if (r.value.type !== 'SCALAR' || r.revocable || r.shared || isReserved(r)) {
        plain = false;
        break;
      }
    }
    PLAIN.set(resources, plain);
  }
  return plain;
}

/**
 * containsAny reports resources holding every quantity of at least one set in `min` (Mesos
 * `Resources::contains(ResourceQuantities)`: amounts summed per name whatever the metadata, a
 * range or set counting its elements, a shared resource counting once). It is asked for every
 * agent, role and framework the cycle visits, so it sums only the names `min` mentions and
 * builds nothing.
 */
export function containsAny(resources: Resources, min: readonly ResourceQuantities[]): boolean {
  for (const set of min) if (holds(resources, compact(set))) return true;
  return false;
}

interface CompactSet {
  readonly names: readonly string[];
  readonly amounts: readonly Scalar[];
}

const COMPACT = new WeakMap<ResourceQuantities, CompactSet>();

// Iterating a ResourceQuantities allocates an entry per name; the sets are few and long-lived,
// so each is flattened once.
function compact(set: ResourceQuantities): CompactSet {
  let c = COMPACT.get(set);
  if (c === undefined) {
    const pairs = [...set];
    c = { names: pairs.map(p => p[0]), amounts: pairs.map(p => p[1]) };
    COMPACT.set(set, c);
  }
  return c;
}

function holds(resources: Resources, set: CompactSet): boolean {
  const entries = resources.entries();
  for (let k = 0; k < set.names.length; k++) {
    const name = set.names[k];
    const wanted = set.amounts[k] as Scalar;
    let have = ZERO_SCALAR;
    for (let i = 0; i < entries.length && have < wanted; i++) {
      const resource = (entries[i] as ResourceEntry).resource;
      if (resource.name !== name) continue;
      const v = resource.value;
      const amount =
        v.type === 'SCALAR'
          ? v.scalar
          : scalarFromUnits(v.type === 'RANGES' ? rangesSize(v.ranges) : v.set.length);
      have = have === ZERO_SCALAR ? amount : scalarAdd(have, amount);
    }
    if (have < wanted) return false;
  }
  return true;
}
