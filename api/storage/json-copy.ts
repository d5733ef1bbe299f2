// A private copy of an object exactly as decoding its stored JSON would give it back, made
// without a JSON round trip.
import type { KubeObject } from '../../core/types/meta.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

// NotPlain is thrown (and caught) when a value holds anything JSON would not give back as is;
// a walk is cheaper than a round trip only while it need not check its own result. One
// instance, made once: nothing of it is ever shown.
class NotPlain extends Error {}
const NOT_PLAIN = new NotPlain('not plain JSON');

// prototypesClean tells that JSON and for...in see plain objects and arrays as they are:
// neither prototype has a toJSON, and Object.prototype has no enumerable member.
function prototypesClean(): boolean {
  if (Object.hasOwn(Object.prototype, 'toJSON') || Object.hasOwn(Array.prototype, 'toJSON'))
    return false;
  for (const _ in Object.prototype) return false;
  return true;
}

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
  // for...in visits the own keys only: copyAsStored saw nothing enumerable in Object.prototype
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
  if (!prototypesClean()) return undefined;
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

// Frozen objects found plain with everything in them frozen and plain too: such a subtree
// cannot change, so it is checked once (the interned managedFields tries are shared so).
const plainFrozen = new WeakSet<object>();

// plainAsIs is copyValue's check alone: v would come back from JSON exactly as it is.
function plainAsIs(v: unknown): boolean {
  if (typeof v === 'object' && v !== null && Object.isFrozen(v)) {
    if (plainFrozen.has(v)) return true;
    if (!plainValue(v)) return false;
    const members: unknown[] = Object.values(v);
    if (members.every(x => typeof x !== 'object' || x === null || plainFrozen.has(x)))
      plainFrozen.add(v);
    return true;
  }
  return plainValue(v);
}

function plainValue(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'object': {
      if (v === null) return true;
      if (Array.isArray(v)) {
        if (Object.getPrototypeOf(v) !== Array.prototype) return false;
        for (let i = 0; i < v.length; i++) if (!plainAsIs(v[i])) return false;
        return true;
      }
      if (Object.getPrototypeOf(v) !== Object.prototype) return false;
      const o = v as Record<string, unknown>;
      // for...in visits the own keys only: storedAsIs saw nothing enumerable in Object.prototype
      for (const k in o) {
        // an undefined member would be left out by JSON, so it does not come back either
        if (k === '__proto__' || k === 'toJSON' || !plainAsIs(o[k])) return false;
      }
      return true;
    }
    case 'undefined':
    case 'function':
    case 'symbol':
    case 'bigint':
      return false;
  }
}

/**
 * storedAsIs tells whether object itself is what decoding its stored JSON gives, once the
 * store appends metadata.resourceVersion: plain JSON values throughout (no undefined member
 * either) and no resourceVersion key in metadata yet. Then a writer that gives the object up can
 * let the watch cache keep it without a copy.
 */
export function storedAsIs(object: KubeObject): boolean {
  if (!prototypesClean()) return false;
  const meta: unknown = object.metadata;
  return (
    Object.hasOwn(object, 'metadata') &&
    typeof meta === 'object' &&
    meta !== null &&
    !Array.isArray(meta) &&
    !Object.hasOwn(meta, 'resourceVersion') &&
    plainAsIs(object)
  );
}
