// The fields a created object sets, as the fieldsV1 trie of its creator's managedFields entry,
// built in one walk and hash-consed: it is walkFields (walk.ts) → FieldSet → toFieldsV1 without
// the path arrays, their JSON keys and the set, and every node of the trie is a frozen object
// shared by all objects whose fields have that shape (each Offer of a cycle owns the same
// fields), so a create allocates, and a watch cache retains, one trie per shape, not per object.
import type { JSONSchemaProps } from '../../registry/crd-types.ts';
import { isJsonObject } from '../json-value.ts';
import type { JsonObject } from '../json-value.ts';
import { fieldElement } from './path.ts';
import type { PathElement } from './path.ts';
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

// Shape is one interned trie node: its fieldsV1 object (frozen) and a number naming it to the
// index of its parents.
interface Shape {
  readonly json: JsonObject;
  readonly id: number;
}

type Child = readonly [PathElement, Shape];

// LEAF is a member with no children, `{}`; it also serves as the `.` mark.
const LEAF: Shape = { json: Object.freeze({}), id: 0 };
let nextId = 1;

// Index finds the interned node of a list of children without building a key: one step per
// child, by its element, then by its shape's id. Roots: members whose children are fields
// (granular maps; their elements are kept without the `f:`), the same with the fields in the
// object's own order (so that an object of a known shape is found without sorting its keys),
// members whose children are list items, and plain steps (the root, `f:metadata`). Bounded:
// past MAX_INDEXED steps it starts again (nodes handed out stay valid; ids never repeat).
interface Index {
  readonly next: Map<string, Map<number, Index>>;
  shape: Shape | undefined;
}
type Kind = 'map' | 'list' | 'step';
const newIndex = (): Index => ({ next: new Map(), shape: undefined });
const newRoots = (): Record<Kind | 'asIs', Index> => ({
  map: newIndex(),
  asIs: newIndex(),
  list: newIndex(),
  step: newIndex(),
});
let roots = newRoots();
let indexed = 0;
const MAX_INDEXED = 50_000;

function step(idx: Index, e: string, id: number): Index {
  let byId = idx.next.get(e);
  if (byId === undefined) idx.next.set(e, (byId = new Map<number, Index>()));
  let next = byId.get(id);
  if (next === undefined) {
    byId.set(id, (next = newIndex()));
    indexed += 1;
  }
  return next;
}

// shapeOf interns a node whose children (sorted, distinct) have these elements and shapes: `.`
// first when it is a member with children, then the children (toFieldsV1's spelling). For a
// `map` node the elements are the field names, for the others whole path elements.
function shapeOf(kind: Kind, elements: readonly string[], shapes: readonly Shape[]): Shape {
  if (elements.length === 0) return LEAF;
  let idx = roots[kind];
  for (let i = 0; i < elements.length; i++)
    idx = step(idx, elements[i] as string, (shapes[i] as Shape).id);
  if (idx.shape !== undefined) return idx.shape;
  const json: JsonObject = {};
  if (kind !== 'step') json['.'] = LEAF.json;
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i] as string;
    json[kind === 'map' ? fieldElement(e) : e] = (shapes[i] as Shape).json;
  }
  const shape: Shape = { json: Object.freeze(json), id: nextId++ };
  idx.shape = shape;
  if (indexed > MAX_INDEXED) {
    roots = newRoots();
    indexed = 0;
  }
  return shape;
}

const byElement = (a: Child, b: Child): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

// shapeOfChildren interns a node from element/shape pairs (sorted here).
function shapeOfChildren(kind: Kind, children: Child[]): Shape {
  children.sort(byElement);
  return shapeOf(
    kind,
    children.map(c => c[0]),
    children.map(c => c[1]),
  );
}

const rootSchemas = new WeakMap<JSONSchemaProps, JSONSchemaProps>();

function rootOf(crd: JSONSchemaProps): JSONSchemaProps {
  let root = rootSchemas.get(crd);
  if (root === undefined) rootSchemas.set(crd, (root = rootSchema(crd)));
  return root;
}

// valueShape mirrors walk.ts's visit for a value that is itself a member: a granular map and
// its members, a set or keyed list and its items, or a leaf.
function valueShape(v: unknown, s: Schema): Shape {
  if (isJsonObject(v) && !isAtomicMap(s)) {
    const keys = Object.keys(v);
    if (keys.length === 0) return LEAF;
    const shapes = new Array<Shape>(keys.length);
    let idx = roots.asIs;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      const child = valueShape(v[k], childSchema(s, k));
      shapes[i] = child;
      idx = step(idx, k, child.id);
    }
    idx.shape ??= sortedMapShape(keys, shapes);
    return idx.shape;
  }
  const kind = listKind(s);
  if (Array.isArray(v) && kind.type !== 'atomic') return listShape(v, s, kind);
  return LEAF;
}

// sortedMapShape interns a granular map by its fields in sorted order (`f:` + key sorts as the
// key does, and object keys are distinct), the spelling all objects of its shape share.
function sortedMapShape(keys: readonly string[], shapes: readonly Shape[]): Shape {
  const order = keys
    .map((_, i) => i)
    .sort((a, b) => ((keys[a] as string) < (keys[b] as string) ? -1 : 1));
  return shapeOf(
    'map',
    order.map(i => keys[i] as string),
    order.map(i => shapes[i] as Shape),
  );
}

// listShape is a set's or keyed list's node. Items with the same element (duplicate set values,
// repeated or missing keys) are one path, whose fields are the union of theirs (mergedShape).
function listShape(list: readonly unknown[], s: Schema, kind: ListKind): Shape {
  const items = new Map<PathElement, unknown[]>();
  list.forEach((item, i) => {
    const e = itemElement(item, i, kind);
    const same = items.get(e);
    if (same === undefined) items.set(e, [item]);
    else same.push(item);
  });
  const children: Child[] = [];
  for (const [e, same] of items) {
    // Set items are scalars (or atomic values); keyed items are granular maps.
    if (kind.type === 'set') children.push([e, LEAF]);
    else if (same.length === 1) children.push([e, valueShape(same[0], itemSchema(s))]);
    else children.push([e, mergedShape(same, itemSchema(s))]);
  }
  return shapeOfChildren('list', children);
}

// A plain trie, for the rare union of several items at one path: walk.ts's visit adds each
// item's paths into one node, and the trie is then interned.
interface TrieNode {
  member: boolean;
  readonly children: Map<PathElement, TrieNode>;
}

function at(node: TrieNode, e: PathElement): TrieNode {
  let child = node.children.get(e);
  if (child === undefined) node.children.set(e, (child = { member: false, children: new Map() }));
  return child;
}

function visit(v: unknown, s: Schema, node: TrieNode): void {
  node.member = true;
  if (isJsonObject(v) && !isAtomicMap(s)) {
    for (const [k, x] of Object.entries(v)) visit(x, childSchema(s, k), at(node, fieldElement(k)));
    return;
  }
  const kind = listKind(s);
  if (Array.isArray(v) && kind.type !== 'atomic') {
    v.forEach((item, i) => {
      const child = at(node, itemElement(item, i, kind));
      if (kind.type === 'set') child.member = true;
      else visit(item, itemSchema(s), child);
    });
  }
}

function trieShape(node: TrieNode): Shape {
  const children: Child[] = [...node.children].map(([e, c]) => [e, trieShape(c)]);
  // a merged item is a member (a map node's elements here are whole, `f:` included)
  return shapeOfChildren('list', children);
}

function mergedShape(items: readonly unknown[], s: Schema): Shape {
  const node: TrieNode = { member: true, children: new Map() };
  for (const item of items) visit(item, s, node);
  return trieShape(node);
}

/**
 * creatorFieldsV1 is the fieldsV1 of the manager that creates obj: every path walkFields lists
 * for it, each a member, with `f:metadata` a plain step (walkFields never lists a metadata
 * object itself). The result is frozen and shared with other objects of the same shape: read
 * only. Undefined when obj sets no field.
 */
export function creatorFieldsV1(obj: unknown, crdSchema: JSONSchemaProps): JsonObject | undefined {
  if (!isJsonObject(obj)) return undefined;
  const root = rootOf(crdSchema);
  const children: Child[] = [];
  for (const k of Object.keys(obj)) {
    if (STRIPPED_ROOT.has(k)) continue;
    const v = obj[k];
    if (k === 'metadata' && isJsonObject(v)) {
      const metaSchema = childSchema(root, 'metadata');
      const meta: Child[] = [];
      for (const mk of Object.keys(v)) {
        if (STRIPPED_META.has(mk)) continue;
        meta.push([fieldElement(mk), valueShape(v[mk], childSchema(metaSchema, mk))]);
      }
      if (meta.length > 0) children.push([fieldElement(k), shapeOfChildren('step', meta)]);
      continue;
    }
    children.push([fieldElement(k), valueShape(v, childSchema(root, k))]);
  }
  return children.length === 0 ? undefined : shapeOfChildren('step', children).json;
}
