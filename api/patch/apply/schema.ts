// How a CRD schema shapes structured merge: which maps are granular, which lists are atomic,
// sets or keyed maps. A missing schema ("deduced", as under x-kubernetes-preserve-unknown-fields)
// means granular maps and atomic lists, as in structured-merge-diff.
import type { JSONSchemaProps } from '../../registry/crd-types.ts';
import { isJsonObject } from '../json-value.ts';
import { indexElement, keyElement, valueElement } from './path.ts';
import type { PathElement } from './path.ts';

/** Schema is a node of a CRD schema, or undefined where the schema says nothing. */
export type Schema = JSONSchemaProps | undefined;

/** ListKind is how a list merges: replaced whole, unioned by value, or merged by key fields. */
export type ListKind =
  | { readonly type: 'atomic' }
  | { readonly type: 'set' }
  | { readonly type: 'map'; readonly keys: readonly string[] };

const stringMap: JSONSchemaProps = { type: 'object', additionalProperties: { type: 'string' } };

/**
 * META_SCHEMA is ObjectMeta as kube's OpenAPI describes it for merging: labels and annotations are
 * granular maps, finalizers a set, ownerReferences a map list keyed by uid, managedFields atomic.
 */
export const META_SCHEMA: JSONSchemaProps = {
  type: 'object',
  properties: {
    labels: stringMap,
    annotations: stringMap,
    finalizers: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
    ownerReferences: {
      type: 'array',
      items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['uid'],
    },
    managedFields: { type: 'array', items: { type: 'object' } },
  },
};

/** rootSchema is a CRD's openAPIV3Schema with ObjectMeta's merge shape swapped in for metadata. */
export function rootSchema(crd: JSONSchemaProps): JSONSchemaProps {
  return {
    ...crd,
    type: 'object',
    properties: {
      ...crd.properties,
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: META_SCHEMA,
    },
  };
}

/** childSchema is the schema of member `key` of an object described by `s`. */
export function childSchema(s: Schema, key: string): Schema {
  if (s === undefined) return undefined;
  const named = s.properties?.[key];
  if (named !== undefined) return named;
  return isJsonObject(s.additionalProperties) ? s.additionalProperties : undefined;
}

/** itemSchema is the schema of the items of a list described by `s`. */
export const itemSchema = (s: Schema): Schema => s?.items;

/** isAtomicMap is true when the object is replaced whole (`x-kubernetes-map-type: atomic`). */
export const isAtomicMap = (s: Schema): boolean => s?.['x-kubernetes-map-type'] === 'atomic';

/** listKind reads `x-kubernetes-list-type`; CRD lists without it are atomic. */
export function listKind(s: Schema): ListKind {
  switch (s?.['x-kubernetes-list-type']) {
    case 'set':
      return { type: 'set' };
    case 'map': {
      const keys = s['x-kubernetes-list-map-keys'] ?? [];
      return keys.length > 0 ? { type: 'map', keys } : { type: 'atomic' };
    }
    case 'atomic':
    case undefined:
      return { type: 'atomic' };
  }
}

/**
 * itemElement is the path element of list item `item` at `index`: its value for a set, its key
 * fields for a map list (its index if it carries no key field), its index otherwise.
 */
export function itemElement(item: unknown, index: number, kind: ListKind): PathElement {
  if (kind.type === 'set') return valueElement(item);
  if (kind.type === 'map' && isJsonObject(item)) {
    return keyElement(item, kind.keys) ?? indexElement(index);
  }
  return indexElement(index);
}
