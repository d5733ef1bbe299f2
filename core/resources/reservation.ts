// ReservationInfo and the reservation stack (Mesos `Resource.reservations`, post-refinement form).
import { isStrictSubroleOf, DEFAULT_ROLE, validateRole } from './roles.ts';
import { byCodeUnit } from './set.ts';

/** ReservationType: STATIC comes from agent configuration, DYNAMIC from a RESERVE operation. */
export type ReservationType = 'STATIC' | 'DYNAMIC';

/** Label is one key/value pair of a reservation's or disk source's labels. */
export interface Label {
  readonly key: string;
  readonly value: string;
}

/**
 * Labels are sorted by key with distinct keys, so that equal label sets compare equal (Mesos
 * compares labels ignoring order). Mesos also allows repeated keys and value-less labels; the
 * CRDs use a string map, so those are not representable, and an empty map means "no labels".
 */
export type Labels = readonly Label[];

/** makeLabels builds sorted Labels from a string map; an empty map gives undefined (no labels). */
export function makeLabels(map: Readonly<Record<string, string>>): Labels | undefined {
  const keys = Object.keys(map).sort(byCodeUnit);
  if (keys.length === 0) return undefined;
  return Object.freeze(keys.map(key => ({ key, value: map[key] ?? '' })));
}

/** labelsEqual compares two label sets; absent and empty are equal. */
export function labelsEqual(a: Labels | undefined, b: Labels | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((l, i) => l.key === y[i]?.key && l.value === y[i].value);
}

/**
 * ReservationInfo is one entry of a reservation stack. A stack is empty for unreserved resources;
 * its last entry is the current reservation, and each entry refines the one below it.
 */
export interface ReservationInfo {
  readonly type: ReservationType;
  readonly role: string;
  readonly principal?: string;
  readonly labels?: Labels;
}

/** reservationEqual compares type, role, principal (absent differs from "") and labels. */
export function reservationEqual(a: ReservationInfo, b: ReservationInfo): boolean {
  return (
    a.type === b.type &&
    a.role === b.role &&
    a.principal === b.principal &&
    labelsEqual(a.labels, b.labels)
  );
}

/** reservationStacksEqual compares two stacks entry by entry. */
export function reservationStacksEqual(
  a: readonly ReservationInfo[],
  b: readonly ReservationInfo[],
): boolean {
  return a.length === b.length && a.every((r, i) => reservationEqual(r, b[i] as ReservationInfo));
}

/**
 * validateReservations returns why a stack is invalid, or undefined (Mesos `Resources::validate`):
 * every role is a valid role other than `*`; only the bottom entry may be STATIC; each later entry
 * is reserved for a strict descendant of the role below it (levels may be skipped: `eng` →
 * `eng/backend/db` is fine).
 */
export function validateReservations(stack: readonly ReservationInfo[]): string | undefined {
  let below: string | undefined;
  for (const [i, r] of stack.entries()) {
    const bad = validateRole(r.role);
    if (bad !== undefined) return bad;
    if (r.role === DEFAULT_ROLE) return 'Invalid reservation: role "*" cannot be reserved';
    if (i > 0 && r.type === 'STATIC') {
      return 'Invalid refined reservation: A refined reservation cannot be STATIC';
    }
    if (below !== undefined && !isStrictSubroleOf(r.role, below)) {
      return `Invalid refined reservation: role '${r.role}' is not a refinement of '${below}'`;
    }
    below = r.role;
  }
  return undefined;
}

/**
 * commonReservationPrefix is the longest common bottom part of two stacks: where a reservation
 * update pops down to before pushing the target's entries (Mesos `getReservationAncestor`).
 */
export function commonReservationPrefix(
  a: readonly ReservationInfo[],
  b: readonly ReservationInfo[],
): readonly ReservationInfo[] {
  let n = 0;
  while (
    n < a.length &&
    n < b.length &&
    reservationEqual(a[n] as ReservationInfo, b[n] as ReservationInfo)
  )
    n++;
  return a.slice(0, n);
}

/** formatLabels prints Mesos's form: `{foo: bar, x: y}`. */
export function formatLabels(labels: Labels): string {
  return `{${labels.map(l => `${l.key}: ${l.value}`).join(', ')}}`;
}

/** formatReservation prints Mesos's form: `STATIC,eng` or `DYNAMIC,eng/ml,alice,{k: v}`. */
export function formatReservation(r: ReservationInfo): string {
  const principal = r.principal === undefined ? '' : `,${r.principal}`;
  const labels =
    r.labels === undefined || r.labels.length === 0 ? '' : `,${formatLabels(r.labels)}`;
  return `${r.type},${r.role}${principal}${labels}`;
}
