// Reservation updates over whole collections (Mesos `Resources::getReservationAncestor`).
import { commonReservationPrefix, reservationStacksEqual } from './reservation.ts';
import type { Resources } from './resources.ts';

/**
 * reservationAncestor is `a` unreserved and then re-reserved with the longest reservation stack
 * that `a` and `b` share from the bottom: the point a reservation update (RESERVE_RESOURCES with a
 * source) pops down to before pushing the target's entries. Both collections must be non-empty,
 * each with a single reservation stack, and hold the same resources once unreserved; otherwise it
 * throws a RangeError.
 */
export function reservationAncestor(a: Resources, b: Resources): Resources {
  const [first] = a;
  const [second] = b;
  if (first === undefined || second === undefined) {
    throw new RangeError('reservationAncestor needs two non-empty collections');
  }
  for (const [label, side, top] of [
    ['first', a, first],
    ['second', b, second],
  ] as const) {
    if (!side.toArray().every(r => reservationStacksEqual(r.reservations, top.reservations))) {
      throw new RangeError(`the ${label} collection mixes reservation stacks`);
    }
  }
  const unreserved = a.toUnreserved();
  if (!unreserved.equals(b.toUnreserved())) {
    throw new RangeError(`${a.toString()} and ${b.toString()} are not the same resources`);
  }
  let out: Resources = unreserved;
  for (const r of commonReservationPrefix(first.reservations, second.reservations)) {
    out = out.pushReservation(r);
  }
  return out;
}
