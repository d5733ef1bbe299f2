// Mesos's validation of RESERVE and UNRESERVE (validation.cpp `operation::validate(Reserve)` and
// `(Unreserve)`), for the scheduler path (a framework answering an offer) and the operator path.
import type { Resource, Resources } from '../../../core/resources/index.ts';
import {
  formatResource,
  hasRefinedReservations,
  isDynamicallyReserved,
  isPersistentVolume,
  reservationRole,
} from '../../../core/resources/index.ts';
import type { RuleContext } from './resource-rules.ts';
import { hasAgentCap, validateOperationResources } from './resource-rules.ts';

// capabilityError: hierarchical roles and refined stacks need the agent's capabilities.
function capabilityError(r: Resource, ctx: RuleContext, verb: string): string | undefined {
  const role = reservationRole(r) ?? '';
  const what = r.disk?.persistence === undefined ? 'Resource' : 'Volume';
  if (!hasAgentCap(ctx, 'HIERARCHICAL_ROLE') && role.includes('/')) {
    return `${what} ${formatResource(r)} with reservation for hierarchical role '${role}' cannot be ${verb} on an agent without HIERARCHICAL_ROLE capability`;
  }
  if (!hasAgentCap(ctx, 'RESERVATION_REFINEMENT') && hasRefinedReservations(r)) {
    return `${what} ${formatResource(r)} with reservation refinement cannot be ${verb} on an agent without RESERVATION_REFINEMENT capability`;
  }
  return undefined;
}

// principalError: an authenticated principal must be the reservation's.
function principalError(r: Resource, principal: string | undefined): string | undefined {
  if (principal === undefined) return undefined;
  const top = r.reservations.at(-1);
  if (top?.principal === undefined) {
    return `A reserve operation was attempted by principal '${principal}', but there is a reserved resource in the request with no principal set`;
  }
  if (top.principal !== principal) {
    return `A reserve operation was attempted by authenticated principal '${principal}', which does not match a reserved resource in the request with principal '${top.principal}'`;
  }
  return undefined;
}

// frameworkError: on the scheduler path the reservation is for the offer's role, a role of the
// framework; a refined stack needs RESERVATION_REFINEMENT (Mesos strips refined reservations from
// offers to other frameworks and they could not express one).
function frameworkError(r: Resource, ctx: RuleContext): string | undefined {
  const fw = ctx.framework;
  if (fw === undefined) return undefined;
  const role = reservationRole(r) ?? '';
  if (ctx.role !== undefined && role !== ctx.role) {
    return `A reserve operation was attempted for a resource with role '${role}', but the resource was allocated to role '${ctx.role}'`;
  }
  if (!fw.roles.includes(role)) {
    return `A reserve operation was attempted for a resource with role '${role}', but the framework can only reserve resources with roles '${fw.roles.join(', ')}'`;
  }
  if (hasRefinedReservations(r) && !fw.capabilities.includes('RESERVATION_REFINEMENT')) {
    return `Resource ${formatResource(r)} has a refined reservation, but framework '${fw.name}' does not have the RESERVATION_REFINEMENT capability`;
  }
  return undefined;
}

/**
 * validateReserve checks a RESERVE: valid, non-empty resources from one provider, each
 * dynamically reserved (the top entry), not revocable, within the agent's capabilities, carrying
 * the authenticated principal, and, for a framework, reserved for the offer's role. Corral also
 * refuses persistent volumes: a volume's reservation moves with its Reservation record.
 */
export function validateReserve(resources: Resources, ctx: RuleContext): string | undefined {
  if (resources.isEmpty()) return 'Invalid resources: Resources cannot be empty';
  const bad = validateOperationResources(resources);
  if (bad !== undefined) return bad;
  for (const r of resources) {
    if (!isDynamicallyReserved(r))
      return `Resource ${formatResource(r)} is not dynamically reserved`;
    if (isPersistentVolume(r)) {
      return `Resource ${formatResource(r)} is a persistent volume; reserve the disk it sits on instead`;
    }
    const err =
      capabilityError(r, ctx, 'reserved') ??
      principalError(r, ctx.principal) ??
      frameworkError(r, ctx);
    if (err !== undefined) return err;
  }
  return undefined;
}

/**
 * validateUnreserve checks an UNRESERVE: valid, non-empty resources from one provider, each
 * dynamically reserved and not a persistent volume. As in Mesos without ACLs, any principal may
 * unreserve any principal's reservation.
 */
export function validateUnreserve(resources: Resources): string | undefined {
  if (resources.isEmpty()) return 'Invalid resources: Resources cannot be empty';
  const bad = validateOperationResources(resources);
  if (bad !== undefined) return bad;
  for (const r of resources) {
    if (!isDynamicallyReserved(r))
      return `Resource ${formatResource(r)} is not dynamically reserved`;
    if (isPersistentVolume(r)) {
      return `A dynamically reserved persistent volume ${formatResource(r)} cannot be unreserved directly. Please destroy the persistent volume first then unreserve the resource`;
    }
  }
  return undefined;
}

/** capabilityErrorFor exposes the capability check to the volume rules (CREATE). */
export function capabilityErrorFor(r: Resource, ctx: RuleContext): string | undefined {
  return capabilityError(r, ctx, 'created');
}
