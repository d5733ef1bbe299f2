// Field paths as structured-merge-diff spells them in `fieldsV1`: one string per path element,
// `f:<field>` for a map member, `k:<json object>` for a keyed list item, `v:<json>` for a set item
// and `i:<n>` for a positional item.
import { canonicalJson, isJsonObject } from '../json-value.ts';
import type { JsonObject } from '../json-value.ts';

/** PathElement is one step of a field path in its fieldsV1 spelling, e.g. `f:spec`. */
export type PathElement = string;

/** FieldPath is a path from the object root; `[]` is the root itself. */
export type FieldPath = readonly PathElement[];

/** fieldElement is the step into map member `name`. */
export const fieldElement = (name: string): PathElement => `f:${name}`;

/** valueElement is the step to the set item equal to `v`. */
export const valueElement = (v: unknown): PathElement => `v:${canonicalJson(v)}`;

/** indexElement is the step to list position `i` (used only when a keyed item lacks its keys). */
export const indexElement = (i: number): PathElement => `i:${i}`;

/**
 * keyElement is the step to the item of a `map` list whose key fields (`x-kubernetes-list-map-keys`)
 * have this item's values: `k:{"name":"a","port":80}` with keys sorted, as structured-merge-diff
 * writes them. Undefined when the item carries none of the keys.
 */
export function keyElement(item: JsonObject, keys: readonly string[]): PathElement | undefined {
  const key: JsonObject = {};
  for (const k of keys) if (item[k] !== undefined) key[k] = item[k];
  return Object.keys(key).length === 0 ? undefined : `k:${canonicalJson(key)}`;
}

/** isPathElement is true for a well-formed element string. */
export function isPathElement(s: string): boolean {
  if (s.startsWith('f:')) return true;
  if (s.startsWith('i:')) return /^i:\d+$/.test(s);
  if (s.startsWith('v:')) return parses(s.slice(2));
  if (s.startsWith('k:')) {
    try {
      return isJsonObject(JSON.parse(s.slice(2)));
    } catch {
      return false;
    }
  }
  return false;
}

function parses(json: string): boolean {
  try {
    JSON.parse(json);
    return true;
  } catch {
    return false;
  }
}

/** pathKey is a collision-free string for a path, for use as a map key. */
export const pathKey = (p: FieldPath): string => JSON.stringify(p);

/** isPrefix is true when `prefix` equals `p` or is an ancestor of it. */
export function isPrefix(prefix: FieldPath, p: FieldPath): boolean {
  return prefix.length <= p.length && prefix.every((e, i) => e === p[i]);
}

// value.ToString of structured-merge-diff: strings quoted, numbers and bools bare.
const show = (v: unknown): string =>
  typeof v === 'string' || (typeof v === 'object' && v !== null) ? canonicalJson(v) : String(v);

/**
 * formatPath renders a path the way kube's conflict messages do: `.spec.size`,
 * `.spec.ports[name="http",port=80]`, `.metadata.finalizers[="a"]`, `.spec.list[3]`.
 */
export function formatPath(p: FieldPath): string {
  return p.map(formatElement).join('');
}

function formatElement(e: PathElement): string {
  const body = e.slice(2);
  if (e.startsWith('f:')) return `.${body}`;
  if (e.startsWith('i:')) return `[${body}]`;
  if (e.startsWith('v:')) return `[=${show(JSON.parse(body))}]`;
  const key = JSON.parse(body) as JsonObject;
  return `[${Object.entries(key)
    .map(([k, v]) => `${k}=${show(v)}`)
    .join(',')}]`;
}
