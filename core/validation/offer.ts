// Cross-field rules of an Offer and of the framework's answer to it (mesos-features §1.8,
// §4.3; DESIGN.md §3.3).
import { isDeepStrictEqual } from 'node:util';
import type { StatusCause } from '../errors/index.ts';
import type { OfferOperation, OfferSpec } from '../types/offer.ts';
import { PAYLOAD_FIELD } from '../types/operation.ts';
import type { Site } from './causes.ts';
import { duplicate, forbidden, immutable, invalid, required } from './causes.ts';
import { PAYLOAD_MEMBERS, checkMembers } from './operation.ts';
import { checkOperationRules } from './operation-rules.ts';
import { resourceList } from './resource-items.ts';
import { validateTaskTemplate } from './task.ts';

const MEMBERS: readonly string[] = ['launch', 'launchGroup', ...PAYLOAD_MEMBERS];

// checkOperation checks one ACCEPT step; `names` collects task names across the whole answer.
function checkOperation(s: Site, op: OfferOperation, names: Set<string>): void {
  if (op.type !== 'LAUNCH' && op.type !== 'LAUNCH_GROUP') {
    checkMembers(s, op, { expected: PAYLOAD_FIELD[op.type], members: MEMBERS });
    checkOperationRules(s, op.type, op);
    return;
  }
  const member = op.type === 'LAUNCH' ? 'launch' : 'launchGroup';
  checkMembers(s, op, { expected: member, members: MEMBERS });
  if (op.id !== undefined) {
    s.out.push(forbidden(`${s.field}.id`, 'the id field cannot be set on LAUNCH operations'));
  }
  (op[member]?.tasks ?? []).forEach((t, j) => {
    const f = `${s.field}.${member}.tasks[${j}]`;
    if (names.has(t.name)) s.out.push(duplicate(`${f}.name`, t.name));
    names.add(t.name);
    s.out.push(...validateTaskTemplate(t.spec, `${f}.spec`));
  });
}

/**
 * validateOffer checks an Offer: its resources are valid and allocated to the offer's role (one
 * offer, one role), and the answer, when present, is exactly one of accept and decline, with each
 * operation carrying exactly the member its type names, no operation id on a launch, distinct
 * task names, valid task templates and payloads that pass Mesos's per-type validation. Whether
 * the operations fit the offered resources is the offer controller's to decide. The API server
 * must call this in admission for every Offer create and update.
 */
export function validateOffer(spec: OfferSpec): StatusCause[] {
  const out: StatusCause[] = [];
  resourceList({ out, field: 'spec.resources' }, spec.resources);
  spec.resources.forEach((r, i) => {
    if (r.allocationRole !== undefined && r.allocationRole !== spec.role) {
      const detail = `must be the offer's role ${JSON.stringify(spec.role)}`;
      out.push(invalid(`spec.resources[${i}].allocationRole`, r.allocationRole, detail));
    }
  });
  const response = spec.response;
  if (response === undefined) return out;
  if (response.accept !== undefined && response.decline !== undefined) {
    out.push(forbidden('spec.response.decline', 'may not be set together with accept'));
  } else if (response.accept === undefined && response.decline === undefined) {
    out.push(required('spec.response', 'one of accept or decline'));
  }
  const names = new Set<string>();
  (response.accept?.operations ?? []).forEach((op, i) => {
    checkOperation({ out, field: `spec.response.accept.operations[${i}]` }, op, names);
  });
  return out;
}

/**
 * validateOfferUpdate keeps an offer what the allocator made it: only spec.response may change,
 * and only from absent to present, so a framework answers once (its write also carries the
 * offer's resourceVersion, so an answer to a changed offer fails). The API server must call this
 * on every Offer update.
 */
export function validateOfferUpdate(old: OfferSpec, next: OfferSpec): StatusCause[] {
  const out: StatusCause[] = [];
  const { response: oldResponse, ...oldRest } = old;
  const { response: newResponse, ...newRest } = next;
  const keys = new Set([...Object.keys(oldRest), ...Object.keys(newRest)]);
  for (const key of keys as Set<keyof typeof oldRest>) {
    if (!isDeepStrictEqual(oldRest[key], newRest[key]))
      out.push(immutable(`spec.${key}`, newRest[key]));
  }
  if (oldResponse !== undefined && !isDeepStrictEqual(oldResponse, newResponse)) {
    out.push(invalid('spec.response', newResponse ?? null, 'an offer is answered once'));
  }
  return out;
}
