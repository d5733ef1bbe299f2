// Cross-field rules of a Reservation (mesos-features §2.2).
import type { StatusCause } from '../errors/index.ts';
import type { ReservationSpec } from '../types/reservation.ts';
import { forbidden, invalid } from './causes.ts';
import { checkReservedFor, eachItem, resourceList } from './resource-items.ts';

/**
 * validateReservation checks what Mesos's RESERVE validation checks without cluster state: each
 * resource is valid (stack order, roles, disk info), dynamically reserved for spec.role, not
 * revocable, and not a persistent volume (volumes are Volume objects). The API server must call
 * this in admission for every Reservation create and update.
 */
export function validateReservation(spec: ReservationSpec): StatusCause[] {
  const out: StatusCause[] = [];
  const site = { out, field: 'spec.resources' };
  resourceList(site, spec.resources);
  eachItem(site, spec.resources, (item, s) => {
    checkReservedFor(s, item, spec.role);
    if (item.revocable === true) {
      out.push(invalid(`${s.field}.revocable`, true, 'revocable resources cannot be reserved'));
    }
    if (item.disk?.persistence !== undefined) {
      out.push(forbidden(`${s.field}.disk.persistence`, 'persistent volumes are Volume objects'));
    }
  });
  return out;
}
