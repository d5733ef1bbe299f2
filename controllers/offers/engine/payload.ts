// Reading a resource operation's payload into exact, unallocated resources (the part of Mesos's
// `validateAndUpgradeResources` that can fail before the operation runs).
import type { Resource, Scalar } from '../../../core/resources/index.ts';
import {
  ResourceParseError,
  Resources,
  parseQuantity,
  parseResourceList,
  parseResourceSpec,
} from '../../../core/resources/index.ts';
import type { OfferOperation, OperationType, ResourceItem } from '../../../core/types/index.ts';
import { PAYLOAD_FIELD } from '../../../core/types/index.ts';
import type { Outcome } from './conversions.ts';

/** Payload is a resource operation with its resources parsed. */
export type Payload =
  | { readonly type: 'RESERVE' | 'UNRESERVE'; readonly resources: Resources }
  | { readonly type: 'CREATE' | 'DESTROY'; readonly volumes: Resources }
  | { readonly type: 'GROW_VOLUME'; readonly volume: Resource; readonly addition: Resource }
  | { readonly type: 'SHRINK_VOLUME'; readonly volume: Resource; readonly subtract: Scalar }
  | { readonly type: 'CREATE_DISK' | 'DESTROY_DISK'; readonly source: Resource };

/** allResources lists every resource a payload names (for the resource-provider checks). */
export function allResources(p: Payload): Resources {
  switch (p.type) {
    case 'RESERVE':
    case 'UNRESERVE':
      return p.resources;
    case 'CREATE':
    case 'DESTROY':
      return p.volumes;
    case 'GROW_VOLUME':
      return Resources.of(p.volume, p.addition);
    case 'SHRINK_VOLUME':
      return Resources.of(p.volume);
    case 'CREATE_DISK':
    case 'DESTROY_DISK':
      return Resources.of(p.source);
  }
}

// Operation resources may carry the offer's allocation (Mesos injects it); the engine works on
// unallocated resources, so a foreign allocation is the only thing left to refuse.
function unallocated(rs: Resources, role: string): Resources {
  for (const r of rs) {
    if (r.allocationRole !== undefined && r.allocationRole !== role) {
      throw new ResourceParseError(
        'allocationRole',
        `is '${r.allocationRole}', not the offer's role '${role}'`,
      );
    }
  }
  return rs.unallocate();
}

function list(items: readonly ResourceItem[], field: string, role: string): Resources {
  return unallocated(parseResourceList(items, field), role);
}

// one reads a single resource; unlike a collection it keeps a zero value, which the operation's
// own check then reports in Mesos's words.
function one(item: ResourceItem, field: string, role: string): Resource {
  const { allocationRole, ...rest } = parseResourceSpec(item, field);
  if (allocationRole !== undefined && allocationRole !== role) {
    throw new ResourceParseError(
      `${field}.allocationRole`,
      `is '${allocationRole}', not the offer's role '${role}'`,
    );
  }
  return rest;
}

function read(type: OperationType, op: OfferOperation, role: string): Payload {
  switch (type) {
    case 'RESERVE':
    case 'UNRESERVE': {
      const items = (type === 'RESERVE' ? op.reserve : op.unreserve)?.resources ?? [];
      return { type, resources: list(items, 'resources', role) };
    }
    case 'CREATE':
    case 'DESTROY': {
      const items = (type === 'CREATE' ? op.create : op.destroy)?.volumes ?? [];
      return { type, volumes: list(items, 'volumes', role) };
    }
    case 'GROW_VOLUME': {
      const g = op.growVolume as NonNullable<OfferOperation['growVolume']>;
      return {
        type,
        volume: one(g.volume, 'volume', role),
        addition: one(g.addition, 'addition', role),
      };
    }
    case 'SHRINK_VOLUME': {
      const s = op.shrinkVolume as NonNullable<OfferOperation['shrinkVolume']>;
      const subtract = parseQuantity(s.subtract, { field: 'subtract', unit: 'megabytes' });
      return { type, volume: one(s.volume, 'volume', role), subtract };
    }
    case 'CREATE_DISK':
    case 'DESTROY_DISK': {
      const source = (type === 'CREATE_DISK' ? op.createDisk : op.destroyDisk)?.source;
      return { type, source: one(source as ResourceItem, 'source', role) };
    }
  }
}

/**
 * readPayload parses the payload member `type` names, or says why it cannot, with Mesos's words:
 * a missing member, or "Operation attempted with invalid resources: ...".
 */
export function readPayload(
  type: OperationType,
  op: OfferOperation,
  role: string,
): Outcome<Payload> {
  const member = PAYLOAD_FIELD[type];
  if (op[member] === undefined) {
    return {
      ok: false,
      message: `A ${type} offer operation must have the Offer.Operation.${member} field set`,
    };
  }
  try {
    return { ok: true, value: read(type, op, role) };
  } catch (e) {
    if (!(e instanceof ResourceParseError)) throw e;
    return { ok: false, message: `Operation attempted with invalid resources: ${e.message}` };
  }
}
