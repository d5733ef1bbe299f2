// Comparing two objects field path by field path in one walk over both, without listing every
// path of each first: compareObjects (walk.ts) with the same answer, for the updates on the hot
// path (record-update.ts). compareObjects keys every path of both objects by its JSON spelling,
// about half of what recording an update cost; this walk builds a path only where the objects
// differ, and skips a member both objects share by reference and a list equal in both.
import type { JSONSchemaProps } from '../../registry/crd-types.ts';
import { isJsonObject, jsonEqual, setOwn } from '../json-value.ts';
import { fieldElement } from './path.ts';
import type { FieldPath, PathElement } from './path.ts';
import {
  childSchema,
  isAtomicMap,
  itemElement,
  itemSchema,
  listKind,
  rootSchema,
} from './schema.ts';
import type { ListKind, Schema } from './schema.ts';
import { STRIPPED_META, STRIPPED_ROOT } from './walk.ts';

/** FieldDiff is how `after` differs from `before`: paths added or modified, and paths removed. */
export interface FieldDiff {
  readonly changed: readonly FieldPath[];
  readonly removed: readonly FieldPath[];
}

/** DUPLICATE_ITEM is thrown when a list holds two items with one path element (see diffFields). */
const DUPLICATE_ITEM = new Error('a list holds two items with one path element');

const roots = new WeakMap<JSONSchemaProps, JSONSchemaProps>();

function rootOf(crd: JSONSchemaProps): JSONSchemaProps {
  let root = roots.get(crd);
  if (root === undefined) roots.set(crd, (root = rootSchema(crd)));
  return root;
}

type Shape = 'map' | 'list' | 'leaf';

// shapeOf is the kind of node walkFields makes of a value: a granular map, a non-atomic list, or
// a leaf holding the value.
function shapeOf(v: unknown, s: Schema): Shape {
  if (isJsonObject(v) && !isAtomicMap(s)) return 'map';
  if (Array.isArray(v) && listKind(s).type !== 'atomic') return 'list';
  return 'leaf';
}

// Walk is one diff under way: the paths found so far, and the current path on one stack (push
// before a member, pop after), copied only for a path it records.
interface Walk {
  readonly changed: FieldPath[];
  readonly removed: FieldPath[];
  readonly path: PathElement[];
}

// collect lists the path of v and every path below it, as walkFields would (into `into`).
function collect(v: unknown, s: Schema, path: PathElement[], into: FieldPath[]): void {
  into.push(path.slice());
  switch (shapeOf(v, s)) {
    case 'map': {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        path.push(fieldElement(k));
        collect(o[k], childSchema(s, k), path, into);
        path.pop();
      }
      return;
    }
    case 'list': {
      const kind = listKind(s);
      const items = v as unknown[];
      for (let i = 0; i < items.length; i++) {
        path.push(itemElement(items[i], i, kind));
        // set items are leaves (scalars or atomic values); keyed items are granular maps
        if (kind.type === 'set') into.push(path.slice());
        else collect(items[i], itemSchema(s), path, into);
        path.pop();
      }
      return;
    }
    case 'leaf':
      return;
  }
}

function collectBelow(v: unknown, s: Schema, path: PathElement[], into: FieldPath[]): void {
  const all: FieldPath[] = [];
  collect(v, s, path, all);
  for (let i = 1; i < all.length; i++) into.push(all[i] as FieldPath);
}

// itemsOf keys a list's items by their path elements; two items with one element make walkFields
// merge their nodes in an order-dependent way this walk does not reproduce, so it gives up.
function itemsOf(list: readonly unknown[], kind: ListKind): Map<PathElement, unknown> {
  const items = new Map<PathElement, unknown>();
  for (let i = 0; i < list.length; i++) {
    const e = itemElement(list[i], i, kind);
    if (items.has(e)) throw DUPLICATE_ITEM;
    items.set(e, list[i]);
  }
  return items;
}

// diffMembers compares the members of two granular maps (or the children of a root).
function diffMembers(
  w: Walk,
  a: Readonly<Record<string, unknown>>,
  b: Readonly<Record<string, unknown>>,
  schemaOf: (k: string) => Schema,
): void {
  const { path } = w;
  for (const k of Object.keys(b)) {
    path.push(fieldElement(k));
    if (Object.hasOwn(a, k)) diffValue(w, a[k], b[k], schemaOf(k));
    else collect(b[k], schemaOf(k), path, w.changed);
    path.pop();
  }
  for (const k of Object.keys(a)) {
    if (Object.hasOwn(b, k)) continue;
    path.push(fieldElement(k));
    collect(a[k], schemaOf(k), path, w.removed);
    path.pop();
  }
}

function diffList(w: Walk, a: unknown[], b: unknown[], s: Schema): void {
  // equal lists walk alike, duplicates and all: no item needs its key spelled
  if (jsonEqual(a, b)) return;
  const { path } = w;
  const kind = listKind(s);
  const before = itemsOf(a, kind);
  const after = itemsOf(b, kind);
  for (const [e, item] of after) {
    path.push(e);
    if (!before.has(e)) {
      if (kind.type === 'set') w.changed.push(path.slice());
      else collect(item, itemSchema(s), path, w.changed);
    } else if (kind.type !== 'set') {
      diffValue(w, before.get(e), item, itemSchema(s));
    } else if (!jsonEqual(before.get(e), item)) {
      // a set item is a leaf: equal elements can still hold values JSON would not tell apart
      w.changed.push(path.slice());
    }
    path.pop();
  }
  for (const [e, item] of before) {
    if (after.has(e)) continue;
    path.push(e);
    if (kind.type === 'set') w.removed.push(path.slice());
    else collect(item, itemSchema(s), path, w.removed);
    path.pop();
  }
}

// diffValue compares the values at the current path, present in both objects.
function diffValue(w: Walk, a: unknown, b: unknown, s: Schema): void {
  if (a === b) return;
  const shape = shapeOf(b, s);
  if (shapeOf(a, s) !== shape) {
    // a map's members and a list's items never share a path: all of one go, all of the other come
    w.changed.push(w.path.slice());
    collectBelow(a, s, w.path, w.removed);
    collectBelow(b, s, w.path, w.changed);
    return;
  }
  switch (shape) {
    case 'map': {
      const x = a as Record<string, unknown>;
      diffMembers(w, x, b as Record<string, unknown>, k => childSchema(s, k));
      return;
    }
    case 'list':
      diffList(w, a as unknown[], b as unknown[], s);
      return;
    case 'leaf':
      if (!jsonEqual(a, b)) w.changed.push(w.path.slice());
      return;
  }
}

// rootMembers and metaMembers are an object's members as walkFields sees them: at the root
// without apiVersion and kind, and a metadata object's members (less the stripped ones) walked as
// `f:metadata/f:<k>` paths, with no node for metadata itself.
function rootMembers(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) {
    if (STRIPPED_ROOT.has(k) || (k === 'metadata' && isJsonObject(obj[k]))) continue;
    setOwn(out, k, obj[k]);
  }
  return out;
}

function metaMembers(obj: Record<string, unknown>): Record<string, unknown> {
  const meta = obj['metadata'];
  const out: Record<string, unknown> = {};
  if (!isJsonObject(meta)) return out;
  for (const k of Object.keys(meta)) if (!STRIPPED_META.has(k)) setOwn(out, k, meta[k]);
  return out;
}

/**
 * diffFields is compareObjects(before, after) with added and modified together as `changed`:
 * the same paths, in no particular order (a path may repeat where a list that appeared or went
 * whole holds duplicates). Undefined when a changed non-atomic list of either object holds two
 * items with the same path element (a set's duplicate values, two map-list items with equal keys),
 * which kube's validation rejects and compareObjects answers in its own way: call it then.
 */
export function diffFields(
  before: unknown,
  after: unknown,
  crdSchema: JSONSchemaProps,
): FieldDiff | undefined {
  const w: Walk = { changed: [], removed: [], path: [] };
  const a = isJsonObject(before) ? before : {};
  const b = isJsonObject(after) ? after : {};
  const root = rootOf(crdSchema);
  const metaSchema = childSchema(root, 'metadata');
  try {
    diffMembers(w, rootMembers(a), rootMembers(b), k => childSchema(root, k));
    if (a['metadata'] !== b['metadata']) {
      w.path.push(fieldElement('metadata'));
      diffMembers(w, metaMembers(a), metaMembers(b), k => childSchema(metaSchema, k));
      w.path.pop();
    }
  } catch (e) {
    if (e === DUPLICATE_ITEM) return undefined;
    throw e;
  }
  return { changed: w.changed, removed: w.removed };
}
