// Mesos's checks of a reservation update (RESERVE with a `source`, 1.10, MESOS-9981;
// validation.cpp `operation::validate(Reserve)`): source and target each one reservation stack,
// the same quantities once unreserved. Only an operator's Operation may carry a source: Mesos's
// scheduler API refuses reservation updates, so an Operation with a framework cannot.
import type { Resources } from '../resources/index.ts';
import { parseResourceList, reservationStacksEqual } from '../resources/index.ts';
import type { OperationSpec } from '../types/operation.ts';
import type { Site } from './causes.ts';
import { at, capture, forbidden, invalid } from './causes.ts';
import { resourceList } from './resource-items.ts';

// oneStack: every resource carries the same reservation stack ("Mixed reservations").
function oneStack(rs: Resources): boolean {
  const [first, ...rest] = rs.toArray();
  return (
    first === undefined ||
    rest.every(r => reservationStacksEqual(r.reservations, first.reservations))
  );
}

/**
 * checkReserveSource checks `spec.reserve.source` of a RESERVE (absent: nothing to check). The
 * target's own resource rules are checkOperationRules'; its parse failures are reported there,
 * so it is parsed here without recording them again.
 */
export function checkReserveSource(site: Site, spec: OperationSpec): void {
  const source = spec.reserve?.source;
  if (spec.type !== 'RESERVE' || source === undefined) return;
  const s = at(site, 'reserve.source');
  if (spec.framework !== undefined) {
    const detail =
      'reservation updates are not yet implemented for the scheduler API: only an operator’s Operation (no framework) may carry a source';
    s.out.push(forbidden(s.field, detail));
    return;
  }
  if (source.length === 0) {
    s.out.push(invalid(s.field, [], 'Resource cannot be empty'));
    return;
  }
  const from = resourceList(s, source);
  const to = capture([], () => parseResourceList(spec.reserve?.resources ?? [], 'resources'));
  if (from === undefined || to === undefined) return;
  if (!oneStack(from)) {
    s.out.push(invalid(s.field, from.toString(), 'Mixed reservations are not supported'));
  }
  if (!oneStack(to)) {
    const field = at(site, 'reserve.resources').field;
    s.out.push(invalid(field, to.toString(), 'Mixed reservations are not supported'));
  }
  if (!from.toUnreserved().equals(to.toUnreserved())) {
    const detail = `Source and target resources should refer to identical resource quantities: ${from.toUnreserved().toString()} vs. ${to.toUnreserved().toString()}`;
    s.out.push(invalid(s.field, from.toString(), detail));
  }
}
