// A private copy of an object exactly as decoding its stored JSON would give it back, made
// without a JSON round trip.
import type { KubeObject } from '../../core/types/meta.ts';
import { withoutMember } from '../../core/util/without-member.ts';
import { isFrozenPlain, isPlainJson, jsonPrototypesClean } from '../../core/util/plain-json.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

// NotPlain is thrown (and caught) when a value holds anything JSON would not give back as is;
// a walk is cheaper than a round trip only while it need not check its own result. One
// instance, made once: nothing of it is ever shown.
class NotPlain extends Error {}
const NOT_PLAIN = new NotPlain('not plain JSON');

// Where an object sits: the root (whose metadata is special), its metadata (which is stored
// without resourceVersion), or anywhere else.
type Level = 'root' | 'metadata' | 'inner';

function copyValue(v: unknown, level: Level = 'inner'): Json {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      // JSON spells NaN and ±Infinity as null and -0 as 0
      if (!Number.isFinite(v) || Object.is(v, -0)) throw NOT_PLAIN;
      return v;
    case 'object':
      if (v === null) return null;
      // nothing can change a frozen plain subtree (an interned managedFields trie): shared
      if (isFrozenPlain(v)) return v as Json;
      return Array.isArray(v) ? copyArray(v) : copyObject(v, level);
    case 'undefined':
    case 'function':
    case 'symbol':
    case 'bigint':
      throw NOT_PLAIN;
  }
}

function copyArray(a: readonly unknown[]): Json[] {
  if (Object.getPrototypeOf(a) !== Array.prototype) throw NOT_PLAIN;
  const out: Json[] = new Array<Json>(a.length);
  // a hole or undefined item would come back as null
  for (let i = 0; i < a.length; i++) out[i] = copyValue(a[i]);
  return out;
}

function copyObject(o: object, level: Level): { [k: string]: Json } {
  if (Object.getPrototypeOf(o) !== Object.prototype) throw NOT_PLAIN;
  const out: { [k: string]: Json } = {};
  const src = o as Record<string, unknown>;
  // for...in visits the own keys only: copyAsStored checked jsonPrototypesClean
  for (const k in src) {
    // `__proto__` would set the copy's prototype; toJSON would change what JSON writes
    if (k === '__proto__' || k === 'toJSON') throw NOT_PLAIN;
    const v = src[k];
    // JSON leaves out object members whose value it cannot write
    if (v === undefined) continue;
    if (level === 'metadata' && k === 'resourceVersion') continue;
    out[k] = copyValue(v, level === 'root' && k === 'metadata' ? 'metadata' : 'inner');
  }
  return out;
}

/**
 * copyAsStored copies object as `JSON.parse(encodeObject(object))` would return it: deep, with
 * no resourceVersion in metadata (the store adds it from the key's mod_revision, last, as
 * decodeKv does), keys in the same order. Undefined when object holds anything the JSON round
 * trip would change (a class instance, undefined in an array, a non-finite number, -0, a
 * `toJSON`), or has no metadata object; then only a decode of the stored bytes gives the exact
 * result.
 */
export function copyAsStored(object: KubeObject): KubeObject | undefined {
  if (!jsonPrototypesClean()) return undefined;
  const meta: unknown = object.metadata;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return undefined;
  if (!Object.hasOwn(object, 'metadata')) return undefined;
  try {
    return copyObject(object, 'root') as unknown as KubeObject;
  } catch (e) {
    if (e === NOT_PLAIN) return undefined;
    throw e;
  }
}

/**
 * keptAsStored is what a watch cache may keep of an object its writer gave up, for it to be what
 * decoding the stored JSON gives once the store appends metadata.resourceVersion: the object
 * itself when its metadata has no resourceVersion yet, else a copy of its root and metadata
 * without it (in the same key order), sharing everything below. Undefined when anything in it
 * is not plain JSON (undefined members too), or it has no metadata object.
 */
export function keptAsStored(object: KubeObject): KubeObject | undefined {
  if (!jsonPrototypesClean()) return undefined;
  const meta: unknown = object.metadata;
  if (
    !Object.hasOwn(object, 'metadata') ||
    typeof meta !== 'object' ||
    meta === null ||
    Array.isArray(meta) ||
    !isPlainJson(object)
  )
    return undefined;
  if (!Object.hasOwn(meta, 'resourceVersion')) return object;
  return { ...object, metadata: withoutMember(object.metadata, 'resourceVersion') };
}
