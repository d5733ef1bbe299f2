// What each speculative operation converts (Mesos getResourceConversions in
// src/common/resources_utils.cpp) and how a conversion applies (ResourceConversion::apply).
import type { Resource, Scalar } from '../../../core/resources/index.ts';
import { Resources, formatResource, scalarAdd, scalarSub } from '../../../core/resources/index.ts';
import type { Conversion } from './types.ts';

/** Checked is a conversion with Mesos's post-validation of the result, if any. */
export interface Checked extends Conversion {
  readonly check?: (result: Resources) => string | undefined;
}

/** Outcome is a value or the message saying why there is none. */
export type Outcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/**
 * stripVolume is the disk a volume was made from: persistence and mount point removed (the whole
 * disk info for a ROOT disk), never shared.
 */
export function stripVolume(volume: Resource): Resource {
  const { disk, ...rest } = volume;
  const base: Resource = { ...rest, shared: false };
  return disk?.source === undefined ? base : { ...base, disk: { source: disk.source } };
}

/** intersect is what `a` and `b` both hold (a − (a − b)), with a's metadata. */
export function intersect(a: Resources, b: Resources): Resources {
  return a.subtract(a.subtract(b));
}

/** reserveConversion: RESERVE pushes one reservation; it consumes the resources popped once. */
export function reserveConversion(reserved: Resources): Checked {
  return { consumed: reserved.popReservation(), converted: reserved };
}

/** unreserveConversions: UNRESERVE pops one reservation off each resource. */
export function unreserveConversions(reserved: Resources): Checked[] {
  return reserved.toArray().map(r => {
    const one = Resources.of(r);
    return { consumed: one, converted: one.popReservation() };
  });
}

/** createConversions: CREATE turns each stripped disk into the volume. */
export function createConversions(volumes: Resources): Checked[] {
  return volumes.toArray().map(v => ({
    consumed: Resources.of(stripVolume(v)),
    converted: Resources.of(v),
  }));
}

/**
 * destroyConversions: DESTROY turns each volume back into its disk; a shared volume with copies
 * left after one is taken out cannot be destroyed.
 */
export function destroyConversions(volumes: Resources): Checked[] {
  return volumes.toArray().map(v => ({
    consumed: Resources.of(v),
    converted: Resources.of(stripVolume(v)),
    check: (result: Resources) =>
      result.contains(Resources.of(v))
        ? `Persistent volume ${formatResource(v)} cannot be removed due to additional shared copies`
        : undefined,
  }));
}

function withScalar(r: Resource, scalar: Scalar): Resource {
  return { ...r, value: { type: 'SCALAR', scalar } };
}

/** scalarOf is a scalar resource's amount (a non-scalar holds none). */
export function scalarOf(r: Resource): Scalar | undefined {
  return r.value.type === 'SCALAR' ? r.value.scalar : undefined;
}

/** growConversion: GROW_VOLUME consumes the volume and the addition, giving the bigger volume. */
export function growConversion(volume: Resource, addition: Resource): Checked {
  const size = scalarOf(volume);
  const extra = scalarOf(addition);
  if (size === undefined || extra === undefined) throw new RangeError('a volume is a scalar disk');
  return {
    consumed: Resources.of(volume).add(addition),
    converted: Resources.of(withScalar(volume, scalarAdd(size, extra))),
  };
}

/** shrinkConversion: SHRINK_VOLUME gives the smaller volume and the freed plain disk. */
export function shrinkConversion(volume: Resource, subtract: Scalar): Checked {
  const size = scalarOf(volume);
  if (size === undefined) throw new RangeError('a volume is a scalar disk');
  const freed = withScalar(stripVolume(volume), subtract);
  return {
    consumed: Resources.of(volume),
    converted: Resources.of(withScalar(volume, scalarSub(size, subtract)), freed),
  };
}

/**
 * applyConversions applies conversions in order, each needing its consumed resources in what the
 * ones before left (Mesos `Resources::apply`); the first that does not fit fails them all.
 */
export function applyConversions(
  resources: Resources,
  conversions: readonly Checked[],
): Outcome<Resources> {
  let result = resources;
  for (const c of conversions) {
    if (!result.contains(c.consumed)) {
      return {
        ok: false,
        message: `${result.toString()} does not contain ${c.consumed.toString()}`,
      };
    }
    result = result.subtract(c.consumed).add(c.converted);
    const bad = c.check?.(result);
    if (bad !== undefined) return { ok: false, message: bad };
  }
  return { ok: true, value: result };
}
