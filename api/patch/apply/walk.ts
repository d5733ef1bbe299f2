// Walking an object along its schema to list the field paths it sets, and comparing two objects
// path by path (structured-merge-diff's ToFieldSet and Compare).
import { isJsonObject, jsonEqual } from '../json-value.ts';
import type { JSONSchemaProps } from '../../registry/crd-types.ts';
import { FieldSet } from './field-set.ts';
import { fieldElement, pathKey } from './path.ts';
import type { FieldPath } from './path.ts';
import {
  childSchema,
  isAtomicMap,
  itemElement,
  itemSchema,
  listKind,
  rootSchema,
} from './schema.ts';
import type { Schema } from './schema.ts';

/** FieldNode is one path of an object: a granular map or list, or a leaf holding its value. */
export interface FieldNode {
  readonly path: FieldPath;
  readonly kind: 'map' | 'list' | 'leaf';
  readonly value: unknown;
}

// Paths kube strips from every managed set (fieldmanager's stripMetaManager): server-owned or
// identity fields nobody may own. Only the exact paths; `metadata`'s children still count.
/** STRIPPED_ROOT are the root fields no manager owns. */
export const STRIPPED_ROOT: ReadonlySet<string> = new Set(['apiVersion', 'kind']);
/** STRIPPED_META are the metadata fields no manager owns. */
export const STRIPPED_META: ReadonlySet<string> = new Set([
  'name',
  'namespace',
  'creationTimestamp',
  'selfLink',
  'uid',
  'clusterName',
  'generation',
  'managedFields',
  'resourceVersion',
]);

/** walkFields lists every field path `obj` sets under the CRD schema, keyed by pathKey. */
export function walkFields(obj: unknown, crdSchema: JSONSchemaProps): Map<string, FieldNode> {
  const out = new Map<string, FieldNode>();
  if (!isJsonObject(obj)) return out;
  const root = rootSchema(crdSchema);
  for (const [k, v] of Object.entries(obj)) {
    if (STRIPPED_ROOT.has(k)) continue;
    const path = [fieldElement(k)];
    if (k === 'metadata' && isJsonObject(v)) {
      for (const [mk, mv] of Object.entries(v)) {
        if (STRIPPED_META.has(mk)) continue;
        const metaSchema = childSchema(root, 'metadata');
        visit(mv, childSchema(metaSchema, mk), [...path, fieldElement(mk)], out);
      }
      continue;
    }
    visit(v, childSchema(root, k), path, out);
  }
  return out;
}

function visit(v: unknown, s: Schema, path: FieldPath, out: Map<string, FieldNode>): void {
  if (isJsonObject(v) && !isAtomicMap(s)) {
    out.set(pathKey(path), { path, kind: 'map', value: undefined });
    for (const [k, x] of Object.entries(v))
      visit(x, childSchema(s, k), [...path, fieldElement(k)], out);
    return;
  }
  const kind = listKind(s);
  if (Array.isArray(v) && kind.type !== 'atomic') {
    out.set(pathKey(path), { path, kind: 'list', value: undefined });
    v.forEach((item, i) => {
      const itemPath = [...path, itemElement(item, i, kind)];
      // Set items are scalars (or atomic values); keyed items are granular maps.
      if (kind.type === 'set')
        out.set(pathKey(itemPath), { path: itemPath, kind: 'leaf', value: item });
      else visit(item, itemSchema(s), itemPath, out);
    });
    return;
  }
  out.set(pathKey(path), { path, kind: 'leaf', value: v });
}

/** fieldSetOf is the set of field paths `obj` sets, with kube's structured-merge semantics. */
export function fieldSetOf(obj: unknown, crdSchema: JSONSchemaProps): FieldSet {
  return FieldSet.of([...walkFields(obj, crdSchema).values()].map(n => n.path));
}

/** Comparison is how `after` differs from `before`, path by path. */
export interface Comparison {
  readonly added: FieldSet;
  readonly modified: FieldSet;
  readonly removed: FieldSet;
}

/**
 * compareObjects lists paths only in `after` (added), only in `before` (removed), and in both with
 * a different leaf value or a different shape (modified). Granular maps and lists present in both
 * are never "modified" themselves; their members are compared instead.
 */
export function compareObjects(
  before: unknown,
  after: unknown,
  crdSchema: JSONSchemaProps,
): Comparison {
  const a = walkFields(before, crdSchema);
  const b = walkFields(after, crdSchema);
  const added: FieldPath[] = [];
  const modified: FieldPath[] = [];
  const removed: FieldPath[] = [];
  for (const [k, n] of b) {
    const old = a.get(k);
    if (old === undefined) added.push(n.path);
    else if (old.kind !== n.kind || (n.kind === 'leaf' && !jsonEqual(old.value, n.value))) {
      modified.push(n.path);
    }
  }
  for (const [k, n] of a) if (!b.has(k)) removed.push(n.path);
  return {
    added: FieldSet.of(added),
    modified: FieldSet.of(modified),
    removed: FieldSet.of(removed),
  };
}
