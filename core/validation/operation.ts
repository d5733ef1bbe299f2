// Cross-field rules of an Operation: exactly the payload its type names, and Mesos's checks of
// that payload.
import type { StatusCause } from '../errors/index.ts';
import type { OperationSpec } from '../types/operation.ts';
import { PAYLOAD_FIELD } from '../types/operation.ts';
import type { Site } from './causes.ts';
import { forbidden, required } from './causes.ts';
import { checkReserveSource } from './operation-source.ts';
import { checkOperationRules } from './operation-rules.ts';

/** OneOf describes a one-of object: the member its type selects, among all its members. */
export interface OneOf {
  readonly expected: string;
  readonly members: readonly string[];
}

/**
 * checkMembers requires the selected member of a one-of object and forbids the others: the shape
 * of Mesos's Offer.Operation and HealthCheck, where `type` names the one field that is set.
 */
export function checkMembers(site: Site, value: object, oneOf: OneOf): void {
  const record = value as Readonly<Record<string, unknown>>;
  const type = JSON.stringify(record['type']);
  for (const m of oneOf.members) {
    const field = site.field === '' ? m : `${site.field}.${m}`;
    const present = record[m] !== undefined;
    if (m === oneOf.expected && !present) site.out.push(required(field, `type ${type} needs ${m}`));
    if (m !== oneOf.expected && present) {
      site.out.push(forbidden(field, `may not be set when type is ${type}`));
    }
  }
}

/** PAYLOAD_MEMBERS lists the payload fields of a resource operation. */
export const PAYLOAD_MEMBERS: readonly string[] = Object.values(PAYLOAD_FIELD);

/**
 * validateOperation checks an Operation spec: the payload field named by `type` is set and no
 * other, and that payload passes Mesos's validation for its type (reservation stacks, persistent
 * volume shape, resize bounds, CREATE_DISK profiles, a reservation update's source). Checks against the agent's actual resources
 * are the operation controller's. The API server must call this in admission for every Operation
 * create and update.
 */
export function validateOperation(spec: OperationSpec): StatusCause[] {
  const site: Site = { out: [], field: 'spec' };
  checkMembers(site, spec, { expected: PAYLOAD_FIELD[spec.type], members: PAYLOAD_MEMBERS });
  checkOperationRules(site, spec.type, spec);
  checkReserveSource(site, spec);
  return site.out;
}
