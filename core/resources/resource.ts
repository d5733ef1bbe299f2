// One Resource (Mesos `message Resource`, post-reservation-refinement format) and its predicates.
import type { DiskInfo, DiskSourceType } from './disk.ts';
import { validateDiskInfo } from './disk.ts';
import type { Ranges } from './ranges.ts';
import type { ReservationInfo } from './reservation.ts';
import { validateReservations } from './reservation.ts';
import { isInRoleSubtree, isStrictSubroleOf } from './roles.ts';
import type { Scalar } from './scalar.ts';
import type { ValueSet } from './set.ts';
import { assertNever } from '../util/assert-never.ts';

/** ValueType is the kind of quantity a resource carries. */
export type ValueType = 'SCALAR' | 'RANGES' | 'SET';

/**
 * WELL_KNOWN_TYPES fixes the type of the resources Mesos itself interprets. Mesos's model would
 * accept `cpus:[1-2]` and then ignore it; Corral rejects it up front.
 */
export const WELL_KNOWN_TYPES: ReadonlyMap<string, ValueType> = new Map<string, ValueType>([
  ['cpus', 'SCALAR'],
  ['mem', 'SCALAR'],
  ['disk', 'SCALAR'],
  ['gpus', 'SCALAR'],
  ['ports', 'RANGES'],
  ['ephemeral_ports', 'RANGES'],
]);

/** ResourceValue is the quantity of a resource, tagged by its type. */
export type ResourceValue =
  | { readonly type: 'SCALAR'; readonly scalar: Scalar }
  | { readonly type: 'RANGES'; readonly ranges: Ranges }
  | { readonly type: 'SET'; readonly set: ValueSet };

/**
 * Resource is one named quantity and everything that makes it distinct from another quantity of
 * the same name: its reservation stack, disk info, revocability, sharedness, resource provider
 * and the role it is allocated to. Two resources are "addable" only when all of that matches (see
 * `addable`). Build one with `makeResource`, which normalizes and validates.
 */
export interface Resource {
  readonly name: string;
  readonly value: ResourceValue;
  /** The reservation stack, bottom first; empty means unreserved. */
  readonly reservations: readonly ReservationInfo[];
  readonly disk?: DiskInfo;
  /** Oversubscribed: the agent may take it back. */
  readonly revocable: boolean;
  /** Usable by several tasks at once; only persistent volumes can be shared. */
  readonly shared: boolean;
  readonly providerId?: string;
  /** The role the resource is offered or allocated to (Mesos `allocation_info.role`). */
  readonly allocationRole?: string;
}

/** ResourceInit is a Resource with the empty fields left out. */
export interface ResourceInit {
  readonly name: string;
  readonly value: ResourceValue;
  readonly reservations?: readonly ReservationInfo[];
  readonly disk?: DiskInfo;
  readonly revocable?: boolean;
  readonly shared?: boolean;
  readonly providerId?: string;
  readonly allocationRole?: string;
}

/** makeResource fills the defaults and validates; it throws a RangeError on an invalid resource. */
export function makeResource(init: ResourceInit): Resource {
  const r: Resource = {
    name: init.name,
    value: init.value,
    reservations: init.reservations ?? [],
    ...(init.disk === undefined ? {} : { disk: init.disk }),
    revocable: init.revocable ?? false,
    shared: init.shared ?? false,
    ...(init.providerId === undefined ? {} : { providerId: init.providerId }),
    ...(init.allocationRole === undefined ? {} : { allocationRole: init.allocationRole }),
  };
  const bad = validateResource(r);
  if (bad !== undefined) throw new RangeError(`invalid resource ${init.name}: ${bad}`);
  return r;
}

/**
 * validateResource returns why a resource is invalid, or undefined (Mesos `Resources::validate`):
 * a non-empty name; a non-negative scalar; disk info only on `disk`; a valid reservation stack;
 * `shared` only on persistent volumes. Corral adds: well-known names have their fixed type. Mesos does not forbid revocable reserved resources here
 * (the RESERVE and CREATE validators do), and neither does this.
 */
export function validateResource(r: Resource): string | undefined {
  if (r.name === '') return 'Empty resource name';
  const want = WELL_KNOWN_TYPES.get(r.name);
  if (want !== undefined && want !== r.value.type) return `${r.name} must be a ${want} resource`;
  if (r.value.type === 'SCALAR' && r.value.scalar < 0n) {
    return 'Invalid scalar resource: value < 0';
  }
  if (r.disk !== undefined) {
    if (r.name !== 'disk') return `DiskInfo should not be set for ${r.name} resource`;
    const bad = validateDiskInfo(r.disk);
    if (bad !== undefined) return bad;
  }
  const bad = validateReservations(r.reservations);
  if (bad !== undefined) return bad;
  if (r.shared) {
    if (r.name !== 'disk') return `Resource ${r.name} cannot be shared`;
    if (r.disk?.persistence === undefined) return 'Only persistent volumes can be shared';
  }
  if (r.providerId === '') return 'Resource provider id cannot be empty';
  return undefined;
}

/** isEmptyValue reports a zero scalar, no ranges or an empty set. */
export function isEmptyValue(v: ResourceValue): boolean {
  switch (v.type) {
    case 'SCALAR':
      return v.scalar === 0n;
    case 'RANGES':
      return v.ranges.length === 0;
    case 'SET':
      return v.set.length === 0;
    default:
      return assertNever(v, 'value type');
  }
}

/** isUnreserved reports an empty reservation stack. */
export function isUnreserved(r: Resource): boolean {
  return r.reservations.length === 0;
}

/** reservationRole is the role of the current (top) reservation, or undefined if unreserved. */
export function reservationRole(r: Resource): string | undefined {
  return r.reservations.at(-1)?.role;
}

/** isReserved reports a reserved resource; with a role, one whose current reservation is it. */
export function isReserved(r: Resource, role?: string): boolean {
  return !isUnreserved(r) && (role === undefined || reservationRole(r) === role);
}

/** isDynamicallyReserved reports a resource whose current reservation is DYNAMIC. */
export function isDynamicallyReserved(r: Resource): boolean {
  return r.reservations.at(-1)?.type === 'DYNAMIC';
}

/** hasRefinedReservations reports a stack of more than one reservation. */
export function hasRefinedReservations(r: Resource): boolean {
  return r.reservations.length > 1;
}

/**
 * isAllocatableTo reports whether a resource may be offered to `role`: it is unreserved, or
 * reserved for `role`, or reserved for an ancestor of `role` (a reservation for `eng` serves
 * `eng/ml`, but not `engineering` and not `eng`'s parent). For `*`, only unreserved resources.
 */
export function isAllocatableTo(r: Resource, role: string): boolean {
  const reserved = reservationRole(r);
  return reserved === undefined || reserved === role || isStrictSubroleOf(role, reserved);
}

/** isReservedToRoleSubtree reports a resource reserved for `role` or for a role below it. */
export function isReservedToRoleSubtree(r: Resource, role: string): boolean {
  const reserved = reservationRole(r);
  return reserved !== undefined && isInRoleSubtree(reserved, role);
}

/** isAllocatedToRoleSubtree reports a resource allocated to `role` or to a role below it. */
export function isAllocatedToRoleSubtree(r: Resource, role: string): boolean {
  return r.allocationRole !== undefined && isInRoleSubtree(r.allocationRole, role);
}

/** isPersistentVolume reports a disk with persistence info. */
export function isPersistentVolume(r: Resource): boolean {
  return r.disk?.persistence !== undefined;
}

/** isDisk reports a disk resource whose source has the given type. */
export function isDisk(r: Resource, type: DiskSourceType): boolean {
  return r.disk?.source?.type === type;
}
