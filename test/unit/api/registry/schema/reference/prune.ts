// Pruning: drop every field the schema does not specify, as kube's structural pruning does
// (apiextensions `pruning.PruneWithOptions`), and report where, for fieldValidation Warn/Strict.
import type { JSONSchemaProps } from '../../../../../../api/registry/crd-types.ts';
import type { JsonObject } from '../../../../../../api/registry/schema/json.ts';
import { child, index, isObject } from '../../../../../../api/registry/schema/json.ts';
import {
  MANAGED_FIELDS_ENTRY_FIELDS,
  OBJECT_META_FIELDS,
  OWNER_REFERENCE_FIELDS,
  TYPE_META_FIELDS,
} from '../../../../../../api/registry/schema/meta-fields.ts';
import {
  isEmbeddedResource,
  mapValuesOf,
  preservesUnknown,
  propOf,
} from '../../../../../../api/registry/schema/nodes.ts';

/** PruneResult lists the removed fields as dotted paths (`spec.foo`, `spec.items[0].bar`). */
export interface PruneResult {
  readonly pruned: string[];
}

type Schema = JSONSchemaProps | undefined;

function dropUnknown(o: JsonObject, known: ReadonlySet<string>, path: string, out: string[]): void {
  for (const k of Object.keys(o)) {
    if (known.has(k)) continue;
    Reflect.deleteProperty(o, k);
    out.push(child(path, k));
  }
}

// pruneMeta keeps the ObjectMeta fields of a resource's metadata, and the known fields of its
// ownerReferences and managedFields entries, as kube's ObjectMeta decoding would.
function pruneMeta(meta: unknown, path: string, out: string[]): void {
  if (!isObject(meta)) return;
  dropUnknown(meta, OBJECT_META_FIELDS, path, out);
  const lists = [
    ['ownerReferences', OWNER_REFERENCE_FIELDS],
    ['managedFields', MANAGED_FIELDS_ENTRY_FIELDS],
  ] as const;
  for (const [key, known] of lists) {
    const list = meta[key];
    if (!Array.isArray(list)) continue;
    list.forEach((e: unknown, i) => {
      if (isObject(e)) dropUnknown(e, known, index(child(path, key), i), out);
    });
  }
}

// Where is a value's position: its path, and whether it is a resource (the root or an embedded
// resource), whose apiVersion/kind/metadata stay whatever the schema says.
interface Where {
  readonly path: string;
  readonly resource: boolean;
}

const at = (path: string, s: Schema): Where => ({ path, resource: isEmbeddedResource(s) });

// walk prunes x against s (undefined: nothing is known below).
function walk(x: unknown, s: Schema, where: Where, out: string[]): void {
  if (preservesUnknown(s)) {
    keepUnknown(x, s, where, out);
    return;
  }
  if (Array.isArray(x)) {
    const items = s?.items;
    x.forEach((v: unknown, i) => walk(v, items, at(index(where.path, i), items), out));
    return;
  }
  if (!isObject(x)) return;
  const values = mapValuesOf(s);
  for (const k of Object.keys(x)) {
    const path = child(where.path, k);
    const prop = propOf(s, k);
    if (where.resource && TYPE_META_FIELDS.has(k)) {
      if (k === 'metadata') pruneMeta(x[k], path, out);
    } else if (prop !== undefined) {
      walk(x[k], prop, at(path, prop), out);
    } else if (values !== null) {
      walk(x[k], values, at(path, values), out);
    } else {
      Reflect.deleteProperty(x, k);
      out.push(path);
    }
  }
}

// keepUnknown is walk under `x-kubernetes-preserve-unknown-fields: true`: unknown keys stay,
// specified ones are still pruned by their own schemas (kube's skipPrune; array items too).
function keepUnknown(x: unknown, s: Schema, where: Where, out: string[]): void {
  if (s === undefined) return;
  if (Array.isArray(x)) {
    const items = s.items;
    x.forEach((v: unknown, i) => keepUnknown(v, items, at(index(where.path, i), items), out));
    return;
  }
  if (!isObject(x)) return;
  const values = mapValuesOf(s);
  for (const k of Object.keys(x)) {
    const path = child(where.path, k);
    const prop = propOf(s, k);
    if (where.resource && TYPE_META_FIELDS.has(k)) {
      if (k === 'metadata') pruneMeta(x[k], path, out);
    } else if (prop !== undefined) {
      walk(x[k], prop, at(path, prop), out);
    } else if (values !== null) {
      walk(x[k], values, at(path, values), out);
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
  const pruned: string[] = [];
  walk(x, schema, { path: '', resource }, pruned);
  return pruned;
}
