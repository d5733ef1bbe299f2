// Pruning: drop every field the schema does not specify, as kube's structural pruning does
// (apiextensions `pruning.PruneWithOptions`), and report where, for fieldValidation Warn/Strict.
import type { JSONSchemaProps } from '../crd-types.ts';
import { FieldPath } from './field-path.ts';
import type { JsonObject } from './json.ts';
import { forInIsOwn, isObject } from './json.ts';
import {
  MANAGED_FIELDS_ENTRY_FIELDS,
  OBJECT_META_FIELDS,
  OWNER_REFERENCE_FIELDS,
  TYPE_META_FIELDS,
} from './meta-fields.ts';
import type { SchemaNode } from './schema-node.ts';
import { schemaNode } from './schema-node.ts';

/** PruneResult lists the removed fields as dotted paths (`spec.foo`, `spec.items[0].bar`). */
export interface PruneResult {
  readonly pruned: string[];
}

// Node is where a walk is: the schema there (undefined: nothing is known below), whether the
// value is a resource (the root or an embedded resource, whose apiVersion/kind/metadata stay
// whatever the schema says), the path, and the pruned paths so far.
type Node = SchemaNode | undefined;

/** PruneWalk is one prune: where it is, and the paths pruned so far. */
export interface PruneWalk {
  readonly path: FieldPath;
  readonly out: string[];
}

function dropUnknown(o: JsonObject, known: ReadonlySet<string>, w: PruneWalk): void {
  for (const k of Object.keys(o)) {
    if (known.has(k)) continue;
    Reflect.deleteProperty(o, k);
    w.out.push(w.path.childText(k));
  }
}

/**
 * pruneMeta keeps the ObjectMeta fields of a resource's metadata (at w's path), and the known
 * fields of its ownerReferences and managedFields entries, as kube's ObjectMeta decoding would.
 */
export function pruneMeta(meta: unknown, w: PruneWalk): void {
  if (!isObject(meta)) return;
  dropUnknown(meta, OBJECT_META_FIELDS, w);
  const lists = [
    ['ownerReferences', OWNER_REFERENCE_FIELDS],
    ['managedFields', MANAGED_FIELDS_ENTRY_FIELDS],
  ] as const;
  for (const [key, known] of lists) {
    const list = meta[key];
    if (!Array.isArray(list)) continue;
    w.path.push(key);
    list.forEach((e: unknown, i) => {
      if (!isObject(e)) return;
      w.path.push(i);
      dropUnknown(e, known, w);
      w.path.pop();
    });
    w.path.pop();
  }
}

/**
 * PruneMode says how a value is pruned: as a resource (the root or an embedded resource keeps
 * apiVersion, kind and metadata whatever its schema says), and/or under
 * `x-kubernetes-preserve-unknown-fields: true` (unknown keys stay, specified ones are still
 * pruned by their own schemas: kube's skipPrune; array items too, while a schema is known).
 */
export interface PruneMode {
  readonly resource: boolean;
  readonly keep: boolean;
}

const MODES: readonly (readonly PruneMode[])[] = [
  [
    { resource: false, keep: false },
    { resource: false, keep: true },
  ],
  [
    { resource: true, keep: false },
    { resource: true, keep: true },
  ],
];

/** pruneMode is the (shared, constant) mode for these flags. */
export const pruneMode = (resource: boolean, keep = false): PruneMode =>
  MODES[resource ? 1 : 0]?.[keep ? 1 : 0] as PruneMode;

/** pruneWalk prunes x (at w's path) against n, in mode `at`. */
export function pruneWalk(x: unknown, n: Node, w: PruneWalk, at: PruneMode): void {
  const keeping = at.keep || n?.preserve === true;
  if (keeping && n === undefined) return;
  if (Array.isArray(x)) {
    const items = n?.items;
    // under preserve-unknown-fields the items are walked as kept too (keepUnknown recursion)
    const mode = pruneMode(items?.embedded === true, keeping);
    for (let i = 0; i < x.length; i++) {
      w.path.push(i);
      pruneWalk(x[i], items, w, mode);
      w.path.pop();
    }
    return;
  }
  if (!isObject(x)) return;
  const values = n === undefined ? null : n.values;
  // for...in, filtered to own keys unless it visits nothing else anyway, is Object.keys without
  // the array; deleting the member being visited is safe in it
  const own = forInIsOwn(x);
  for (const k in x) {
    if (!own && !Object.hasOwn(x, k)) continue;
    const prop = n?.props.get(k);
    if (at.resource && TYPE_META_FIELDS.has(k)) {
      if (k !== 'metadata') continue;
      w.path.push(k);
      pruneMeta(x[k], w);
      w.path.pop();
    } else if (prop !== undefined || values !== null) {
      // a property's schema, or the map values' (undefined: additionalProperties true)
      const next = prop ?? values ?? undefined;
      w.path.push(k);
      pruneWalk(x[k], next, w, pruneMode(next?.embedded === true));
      w.path.pop();
    } else if (!keeping) {
      Reflect.deleteProperty(x, k);
      w.out.push(w.path.childText(k));
    }
  }
}

/**
 * prune removes, in place, every field of obj that schema does not specify, and returns their
 * paths. It mutates obj: the caller passes its own copy (never an object from a cache). Fields
 * under `x-kubernetes-preserve-unknown-fields: true` stay; at the root and in
 * `x-kubernetes-embedded-resource` objects apiVersion, kind and metadata stay, metadata reduced
 * to the standard ObjectMeta fields. Map keys are dotted like other keys (`spec.limits.cpus`).
 */
export function prune(obj: unknown, schema: JSONSchemaProps): PruneResult {
  return { pruned: pruneValue(obj, schema, true) };
}

/**
 * pruneValue is prune for any value, a resource (keeping apiVersion/kind/metadata) or not; it
 * checks that a schema default is pruned-clean.
 */
export function pruneValue(x: unknown, schema: JSONSchemaProps, resource: boolean): string[] {
  const w: PruneWalk = { path: new FieldPath(), out: [] };
  pruneWalk(x, schemaNode(schema), w, pruneMode(resource));
  return w.out;
}
