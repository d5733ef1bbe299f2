// Mesos's printed form of a resource, and the total order that keeps `Resources` canonical.
import type { DiskInfo, DiskSource } from './disk.ts';
import { formatDiskInfo } from './disk.ts';
import { formatRanges } from './ranges.ts';
import type { Labels, ReservationInfo } from './reservation.ts';
import { formatReservation } from './reservation.ts';
import type { Resource, ResourceValue } from './resource.ts';
import { formatScalar, scalarCompare } from './scalar.ts';
import { byCodeUnit, formatSet } from './set.ts';
import { assertNever } from '../util/assert-never.ts';

/** formatValue prints a value as Mesos does: `1.5`, `[1-2, 4-4]`, `{a, b}`. */
export function formatValue(v: ResourceValue): string {
  switch (v.type) {
    case 'SCALAR':
      return formatScalar(v.scalar);
    case 'RANGES':
      return formatRanges(v.ranges);
    case 'SET':
      return formatSet(v.set);
    default:
      return assertNever(v, 'value type');
  }
}

/**
 * formatResource prints Mesos's form, e.g.
 * `disk(allocated: eng)(reservations: [(STATIC,eng),(DYNAMIC,eng/ml,alice)])[MOUNT:/mnt,v1:/data]{REV}<SHARED>:64`.
 * A resource provider id, which Mesos does not print, is shown as `@provider` after the name so
 * that two resources that differ only by provider do not print alike.
 */
export function formatResource(r: Resource): string {
  let out = r.name;
  if (r.providerId !== undefined) out += `@${r.providerId}`;
  if (r.allocationRole !== undefined) out += `(allocated: ${r.allocationRole})`;
  if (r.reservations.length > 0) {
    out += `(reservations: [${r.reservations.map(x => `(${formatReservation(x)})`).join(',')}])`;
  }
  if (r.disk !== undefined) out += `[${formatDiskInfo(r.disk)}]`;
  if (r.revocable) out += '{REV}';
  if (r.shared) out += '<SHARED>';
  return `${out}:${formatValue(r.value)}`;
}

/**
 * compareResources is a total order over resources: by name, then every other field (including
 * the ones Mesos equality ignores, such as the volume), so sorting by it gives a canonical order.
 * Unreserved resources come before reserved ones, and shallower stacks before deeper ones. It
 * compares field by field and stops at the first difference, because collections re-sort on
 * every operation.
 */
export function compareResources(a: Resource, b: Resource): number {
  return (
    byCodeUnit(a.name, b.name) ||
    a.reservations.length - b.reservations.length ||
    byOptional(a.providerId, b.providerId) ||
    byOptional(a.allocationRole, b.allocationRole) ||
    byList(a.reservations, b.reservations, compareReservations) ||
    Number(a.revocable) - Number(b.revocable) ||
    Number(a.shared) - Number(b.shared) ||
    compareDisks(a.disk, b.disk) ||
    compareValues(a.value, b.value)
  );
}

function byOptional(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return byCodeUnit(a, b);
}

function byList<T>(a: readonly T[], b: readonly T[], cmp: (x: T, y: T) => number): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const c = cmp(a[i] as T, b[i] as T);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function compareLabels(a: Labels | undefined, b: Labels | undefined): number {
  return byList(
    a ?? [],
    b ?? [],
    (x, y) => byCodeUnit(x.key, y.key) || byCodeUnit(x.value, y.value),
  );
}

function compareReservations(a: ReservationInfo, b: ReservationInfo): number {
  return (
    byCodeUnit(a.type, b.type) ||
    byCodeUnit(a.role, b.role) ||
    byOptional(a.principal, b.principal) ||
    compareLabels(a.labels, b.labels)
  );
}

function compareDisks(a: DiskInfo | undefined, b: DiskInfo | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  return (
    byOptional(a.persistence?.id, b.persistence?.id) ||
    byOptional(a.persistence?.principal, b.persistence?.principal) ||
    byOptional(a.volume?.containerPath, b.volume?.containerPath) ||
    byOptional(a.volume?.mode, b.volume?.mode) ||
    compareSources(a.source, b.source)
  );
}

function compareSources(a: DiskSource | undefined, b: DiskSource | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  return (
    byCodeUnit(a.type, b.type) ||
    byOptional(a.root, b.root) ||
    byOptional(a.vendor, b.vendor) ||
    byOptional(a.id, b.id) ||
    byOptional(a.profile, b.profile) ||
    compareLabels(a.metadata, b.metadata)
  );
}

function compareValues(a: ResourceValue, b: ResourceValue): number {
  if (a.type !== b.type) return byCodeUnit(a.type, b.type);
  if (a.type === 'SCALAR' && b.type === 'SCALAR') return scalarCompare(a.scalar, b.scalar);
  return byCodeUnit(formatValue(a), formatValue(b));
}
