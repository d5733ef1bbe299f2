// Equality, "addable", "subtractable" and "contains" for single resources: the rules that decide
// when two resources merge into one (src/common/resources.cpp, `internal::addable` and friends).
import { diskInfoEqual } from './disk.ts';
import { rangesAdd, rangesContains, rangesEqual, rangesSubtract } from './ranges.ts';
import { reservationStacksEqual } from './reservation.ts';
import type { Resource, ResourceValue } from './resource.ts';
import { scalarAdd, scalarSub } from './scalar.ts';
import { setAdd, setContains, setEqual, setSubtract } from './set.ts';
import { assertNever } from '../util/assert-never.ts';

/** sameMetadata compares everything but the value (Mesos `compareResourceMetadata`). */
export function sameMetadata(a: Resource, b: Resource): boolean {
  return (
    a.name === b.name &&
    a.value.type === b.value.type &&
    a.allocationRole === b.allocationRole &&
    reservationStacksEqual(a.reservations, b.reservations) &&
    diskInfoEqual(a.disk, b.disk) &&
    a.revocable === b.revocable &&
    a.providerId === b.providerId &&
    a.shared === b.shared
  );
}

/** valueEqual compares two values of any type; different types are unequal. */
export function valueEqual(a: ResourceValue, b: ResourceValue): boolean {
  switch (a.type) {
    case 'SCALAR':
      return b.type === 'SCALAR' && a.scalar === b.scalar;
    case 'RANGES':
      return b.type === 'RANGES' && rangesEqual(a.ranges, b.ranges);
    case 'SET':
      return b.type === 'SET' && setEqual(a.set, b.set);
    default:
      return assertNever(a, 'value type');
  }
}

/**
 * resourceEqual is Mesos's Resource equality: same metadata and same value. The disk volume and
 * the persistence principal do not count (see `diskInfoEqual`).
 */
export function resourceEqual(a: Resource, b: Resource): boolean {
  return sameMetadata(a, b) && valueEqual(a.value, b.value);
}

/**
 * addable reports whether a + b is a single resource. Shared resources are addable only when
 * equal (the sum is a count, kept by `Resources`). Otherwise the metadata must match and the disk
 * must be divisible: MOUNT and BLOCK disks, RAW disks with an id, and persistent volumes never
 * merge, because their sum would not describe one real disk.
 */
export function addable(a: Resource, b: Resource): boolean {
  if (a.shared || b.shared) return a.shared === b.shared && resourceEqual(a, b);
  if (!sameMetadata(a, b)) return false;
  const disk = a.disk;
  if (disk === undefined) return true;
  if (disk.persistence !== undefined) return false;
  const source = disk.source;
  if (source === undefined) return true;
  switch (source.type) {
    case 'PATH':
      return true;
    case 'MOUNT':
    case 'BLOCK':
      return false;
    case 'RAW':
      return source.id === undefined;
    default:
      return assertNever(source.type, 'disk source type');
  }
}

/**
 * subtractable reports whether b can be taken out of a, leaving one resource. The rules mirror
 * `addable`, except that an indivisible disk (persistent volume, MOUNT, BLOCK, RAW with an id) can
 * be subtracted from an exactly equal one, leaving nothing. It does not require b ⊆ a: for ranges
 * and sets the difference is always defined.
 */
export function subtractable(a: Resource, b: Resource): boolean {
  if (a.shared || b.shared) return a.shared === b.shared && resourceEqual(a, b);
  if (!sameMetadata(a, b)) return false;
  const disk = a.disk;
  if (disk === undefined) return true;
  if (disk.persistence !== undefined) return resourceEqual(a, b);
  const source = disk.source;
  if (source === undefined) return true;
  switch (source.type) {
    case 'PATH':
      return true;
    case 'MOUNT':
    case 'BLOCK':
      return resourceEqual(a, b);
    case 'RAW':
      return source.id === undefined || resourceEqual(a, b);
    default:
      return assertNever(source.type, 'disk source type');
  }
}

/** containsResource reports whether b fits inside a (Mesos `contains(Resource, Resource)`). */
export function containsResource(a: Resource, b: Resource): boolean {
  if (!subtractable(a, b)) return false;
  const x = a.value;
  const y = b.value;
  if (x.type === 'SCALAR' && y.type === 'SCALAR') return y.scalar <= x.scalar;
  if (x.type === 'RANGES' && y.type === 'RANGES') return rangesContains(x.ranges, y.ranges);
  if (x.type === 'SET' && y.type === 'SET') return setContains(x.set, y.set);
  return false;
}

/** addValues adds two values of the same type; it throws if the types differ. */
export function addValues(a: ResourceValue, b: ResourceValue): ResourceValue {
  if (a.type === 'SCALAR' && b.type === 'SCALAR') {
    return { type: 'SCALAR', scalar: scalarAdd(a.scalar, b.scalar) };
  }
  if (a.type === 'RANGES' && b.type === 'RANGES') {
    return { type: 'RANGES', ranges: rangesAdd(a.ranges, b.ranges) };
  }
  if (a.type === 'SET' && b.type === 'SET') return { type: 'SET', set: setAdd(a.set, b.set) };
  throw new TypeError(`cannot add a ${b.type} value to a ${a.type} value`);
}

/**
 * subtractValues subtracts two values of the same type. A scalar result may be negative (the
 * caller drops it); ranges and sets lose the elements they share with b.
 */
export function subtractValues(a: ResourceValue, b: ResourceValue): ResourceValue {
  if (a.type === 'SCALAR' && b.type === 'SCALAR') {
    return { type: 'SCALAR', scalar: scalarSub(a.scalar, b.scalar) };
  }
  if (a.type === 'RANGES' && b.type === 'RANGES') {
    return { type: 'RANGES', ranges: rangesSubtract(a.ranges, b.ranges) };
  }
  if (a.type === 'SET' && b.type === 'SET') return { type: 'SET', set: setSubtract(a.set, b.set) };
  throw new TypeError(`cannot subtract a ${b.type} value from a ${a.type} value`);
}
