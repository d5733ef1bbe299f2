// Mesos's resource model: exact quantities, ranges, sets, reservations, disks, the `Resources`
// collection, quantities and limits, role names, DRF shares, and the wire forms.
export type { ResourceEntry } from './bag.ts';
export type {
  DiskInfo,
  DiskSource,
  DiskSourceType,
  Persistence,
  Volume,
  VolumeMode,
} from './disk.ts';
export { diskInfoEqual, diskSourceEqual } from './disk.ts';
export { dominantShare } from './drf.ts';
export { ResourceLimits } from './limits.ts';
export { ResourceParseError } from './parse-error.ts';
export { parseResources } from './parse.ts';
export { parseResourceList, parseResourceSpec } from './parse-list.ts';
export { parseLimits, parseQuantities, parseResourceMap } from './parse-map.ts';
export { parseLimitsText, parseQuantitiesText, parseResourceText } from './parse-text.ts';
export { ResourceQuantities } from './quantities.ts';
export type { QuantityOptions, QuantityUnit } from './quantity.ts';
export { parseQuantity, unitOf } from './quantity.ts';
export type { Range, Ranges } from './ranges.ts';
export {
  EMPTY_RANGES,
  formatRanges,
  makeRanges,
  rangesAdd,
  rangesContains,
  rangesEqual,
  rangesSize,
  rangesSubtract,
  renderRanges,
} from './ranges.ts';
export type { DiskSpec, ReservationSpec, ResourceMapSpec, ResourceSpec } from './render.ts';
export {
  isSimpleResource,
  renderLimits,
  renderQuantities,
  renderResource,
  renderResourceList,
  renderResourceMap,
} from './render.ts';
export type { Label, Labels, ReservationInfo, ReservationType } from './reservation.ts';
export {
  commonReservationPrefix,
  makeLabels,
  reservationEqual,
  reservationStacksEqual,
  validateReservations,
} from './reservation.ts';
export { reservationAncestor } from './reservation-ops.ts';
export type { Resource, ResourceInit, ResourceValue, ValueType } from './resource.ts';
export {
  WELL_KNOWN_TYPES,
  hasRefinedReservations,
  isAllocatableTo,
  isAllocatedToRoleSubtree,
  isDisk,
  isDynamicallyReserved,
  isPersistentVolume,
  isReserved,
  isReservedToRoleSubtree,
  isUnreserved,
  makeResource,
  reservationRole,
  validateResource,
} from './resource.ts';
export { addable, containsResource, resourceEqual, subtractable } from './resource-compare.ts';
export { formatResource } from './resource-format.ts';
export type { ShrinkOptions } from './resources.ts';
export type { PickOptions } from './pick.ts';
export { pickResources } from './pick.ts';
export { Resources } from './resources.ts';
export {
  DEFAULT_ROLE,
  ancestors,
  isInRoleSubtree,
  isStrictSubroleOf,
  isValidRole,
  parent,
  validateRole,
} from './roles.ts';
export type { Scalar } from './scalar.ts';
export {
  MILLI_PER_UNIT,
  ZERO_SCALAR,
  formatScalar,
  isZeroScalar,
  scalarAdd,
  scalarCompare,
  scalarFromMilli,
  scalarFromUnits,
  scalarMin,
  scalarSub,
  scalarSubFloor,
  scalarToNumber,
} from './scalar.ts';
export type { ValueSet } from './set.ts';
export { EMPTY_SET, makeSet, setAdd, setContains, setEqual, setSubtract } from './set.ts';
export { shrinkResource } from './shrink.ts';
