// Conversion between FieldSet and kube's `fieldsV1` JSON trie: each key is a path element, `{}`
// marks a member leaf, and `".": {}` marks a node that is a member and also has children.
import { isJsonObject } from '../json-value.ts';
import type { JsonObject } from '../json-value.ts';
import { FieldSet } from './field-set.ts';
import { isPathElement } from './path.ts';
import type { FieldPath } from './path.ts';

interface Trie {
  member: boolean;
  children: Map<string, Trie>;
}

/** toFieldsV1 renders a set as kube's fieldsV1 object (keys sorted, `.` first). */
export function toFieldsV1(set: FieldSet): JsonObject {
  const root: Trie = { member: false, children: new Map() };
  for (const p of set.paths()) {
    let node = root;
    for (const e of p) {
      let next = node.children.get(e);
      if (next === undefined) {
        next = { member: false, children: new Map() };
        node.children.set(e, next);
      }
      node = next;
    }
    node.member = true;
  }
  return render(root);
}

function render(node: Trie): JsonObject {
  const out: JsonObject = {};
  if (node.member && node.children.size > 0) out['.'] = {};
  for (const k of [...node.children.keys()].sort()) {
    const child = node.children.get(k);
    if (child !== undefined) out[k] = render(child);
  }
  return out;
}

/**
 * fromFieldsV1 parses a fieldsV1 object. It throws an Error naming the bad spot when the value is
 * not a trie of objects keyed by valid path elements.
 */
export function fromFieldsV1(v: unknown): FieldSet {
  const paths: FieldPath[] = [];
  collect(v, [], paths);
  return FieldSet.of(paths);
}

function collect(v: unknown, at: FieldPath, out: FieldPath[]): void {
  if (!isJsonObject(v)) throw new Error(`fieldsV1 at ${JSON.stringify(at)} is not an object`);
  const keys = Object.keys(v);
  // An empty object below the root is a member leaf.
  if (keys.length === 0 && at.length > 0) out.push(at);
  for (const k of keys) {
    if (k === '.') {
      if (at.length > 0) out.push(at);
      continue;
    }
    if (!isPathElement(k))
      throw new Error(`fieldsV1 has an invalid path element ${JSON.stringify(k)}`);
    collect(v[k], [...at, k], out);
  }
}
