// Shrinking resources to a target (src/common/resources_utils.cpp `shrinkResources`).
import type { ResourceEntry } from './bag.ts';
import { bagAdd } from './bag.ts';
import type { ResourceLimits } from './limits.ts';
import { ResourceQuantities } from './quantities.ts';
import type { Resource } from './resource.ts';
import { containsResource } from './resource-compare.ts';
import type { Scalar } from './scalar.ts';

/**
 * shrinkResource cuts one scalar resource down to `target`, or returns undefined when it cannot be
 * cut. A resource already within the target is returned as is. A disk is cut only if the smaller
 * disk is still contained in the original, which is how Mesos detects indivisible disks: MOUNT,
 * BLOCK, RAW with an id, and persistent volumes are taken whole or not at all.
 */
export function shrinkResource(r: Resource, target: Scalar): Resource | undefined {
  if (r.value.type !== 'SCALAR') {
    throw new RangeError(`cannot shrink ${r.name}: only scalar resources have a target`);
  }
  if (r.value.scalar <= target) return r;
  const smaller: Resource = { ...r, value: { type: 'SCALAR', scalar: target } };
  if (r.disk !== undefined && !containsResource(r, smaller)) return undefined;
  return smaller;
}

/**
 * shrinkEntries keeps a part of `entries` that fits `target`, in a random order so that the same
 * indivisible disk is not always the one left out (Mesos shuffles for the same reason).
 * With quantities, names missing from the target are dropped; with limits, they are kept whole.
 */
export function shrinkEntries(
  entries: readonly ResourceEntry[],
  target: ResourceQuantities | ResourceLimits,
  random: () => number,
): ResourceEntry[] {
  // 1. Empty targets are the two extremes: nothing left, or everything kept.
  if (target.isEmpty()) return target instanceof ResourceQuantities ? [] : [...entries];
  // 2. Visit the resources in a random order.
  const order = shuffle(entries, random);
  // 3. Greedily keep what fits, charging each kept resource against what is left of the target.
  //    A shared volume counts once however many copies are held, as in Mesos quantities.
  const out: ResourceEntry[] = [];
  let left: ResourceQuantities | ResourceLimits = target;
  for (const entry of order) {
    const name = entry.resource.name;
    const room: Scalar | undefined = left.get(name);
    if (room === undefined) {
      bagAdd(out, entry);
      continue;
    }
    if (room === 0n) continue;
    const kept = shrinkResource(entry.resource, room);
    if (kept === undefined || kept.value.type !== 'SCALAR') continue;
    const used = ResourceQuantities.from([[name, kept.value.scalar]]);
    left = left instanceof ResourceQuantities ? left.subtract(used) : left.subtractQuantities(used);
    bagAdd(out, { resource: kept, count: entry.count });
  }
  return out;
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(random() * (i + 1)));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
