// What the agent's model has applied of a Reservation or Volume. The spec is what someone asked
// for; the `corral.dev/applied` annotation holds the spec as last applied, written in the same
// write as the spec by the offer controller (a framework's operation, validated by the engine) and
// by the reservation controller once it accepts an operator's change. It lives in metadata, not
// status, because it cannot be observed again from anywhere: status must be reconstructible.
import { isDeepStrictEqual } from 'node:util';
import {
  ResourceParseError,
  parseResourceList,
  parseResourceSpec,
  renderResource,
} from '../../core/resources/index.ts';
import type { Reservation, ReservationSpec, Volume, VolumeSpec } from '../../core/types/index.ts';
import { ORIGIN_ANNOTATION } from '../offers/engine/index.ts';

/** APPLIED_ANNOTATION holds the JSON of the spec the agent's model last applied. */
export const APPLIED_ANNOTATION = 'corral.dev/applied';

/**
 * REMOVED_ANNOTATION marks a Reservation or Volume an offer answer removes (UNRESERVE, DESTROY): it
 * holds the answer's origin and is written just before the delete. The answer's own Operation
 * carries the removal to the agent, so the reservation controller releases such a record without
 * sending one of its own (which, coming later, could overtake a re-create of the same volume).
 */
export const REMOVED_ANNOTATION = 'corral.dev/removed-by';

/** AppliedRecord is a Reservation or a Volume. */
export type AppliedRecord = Reservation | Volume;

function readApplied(o: AppliedRecord): unknown {
  const text = o.metadata.annotations?.[APPLIED_ANNOTATION];
  if (text === undefined) {
    // Made by the offer controller before it wrote the annotation: the engine applied it.
    return o.metadata.annotations?.[ORIGIN_ANNOTATION] === undefined ? undefined : o.spec;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** appliedReservation is the Reservation as applied (spec from the annotation), or undefined. */
export function appliedReservation(r: Reservation): Reservation | undefined {
  const spec = readApplied(r) as ReservationSpec | undefined;
  return spec === undefined ? undefined : { ...r, spec };
}

/** appliedVolume is the Volume as applied (spec from the annotation), or undefined. */
export function appliedVolume(v: Volume): Volume | undefined {
  const spec = readApplied(v) as VolumeSpec | undefined;
  return spec === undefined ? undefined : { ...v, spec };
}

/** withApplied returns a copy whose annotation records `spec` as applied (spec included). */
export function withApplied<T extends AppliedRecord>(o: T, spec: T['spec']): T {
  const annotations = { ...o.metadata.annotations, [APPLIED_ANNOTATION]: JSON.stringify(spec) };
  return { ...o, spec, metadata: { ...o.metadata, annotations } };
}

function parsedEqual<T>(read: () => T, eq: (a: T, b: T) => boolean, other: () => T): boolean {
  try {
    return eq(read(), other());
  } catch (e) {
    if (e instanceof ResourceParseError || e instanceof RangeError) return false;
    throw e;
  }
}

/** sameReservationSpec compares two specs by meaning (parsed resources), not by their text. */
export function sameReservationSpec(a: ReservationSpec, b: ReservationSpec): boolean {
  if (a.agent !== b.agent || a.role !== b.role) return false;
  return parsedEqual(
    () => parseResourceList(a.resources),
    (x, y) => x.equals(y),
    () => parseResourceList(b.resources),
  );
}

/** sameVolumeSpec compares two specs by meaning: the same volume, rendered alike. */
export function sameVolumeSpec(a: VolumeSpec, b: VolumeSpec): boolean {
  if (a.agent !== b.agent || a.role !== b.role) return false;
  return parsedEqual(
    () => renderResource(parseResourceSpec(a.resource, 'resource')),
    (x, y) => isDeepStrictEqual(x, y),
    () => renderResource(parseResourceSpec(b.resource, 'resource')),
  );
}
