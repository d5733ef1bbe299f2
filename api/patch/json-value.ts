// Small helpers over decoded JSON values shared by the patch algorithms. They treat values as
// immutable: every "change" builds new containers and leaves the inputs untouched.

/** JsonObject is a decoded JSON object (never an array, never null). */
export type JsonObject = Record<string, unknown>;

/** isJsonObject is true for a plain JSON object: not null, not an array. */
export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * setOwn assigns an own enumerable property, even for the key `__proto__`, which a plain
 * assignment would turn into a prototype change (JSON.parse yields such keys as data).
 */
export function setOwn(obj: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else obj[key] = value;
}

/** deleteOwn removes an own member; named so the dynamic delete reads as intended. */
export function deleteOwn(obj: JsonObject, key: string): void {
  Reflect.deleteProperty(obj, key);
}

/** copyObject is a shallow copy that keeps `__proto__` keys as data. */
export function copyObject(obj: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) setOwn(out, k, v);
  return out;
}

// NOT_PLAIN is thrown (and caught by cloneJson) at a value copyPlain does not copy faithfully;
// one instance, so a throw costs no stack capture.
const NOT_PLAIN = new Error('not plain data');

// copyPlain deep-copies plain objects, arrays and primitives member by member, keeping
// `__proto__` keys as data and undefined members and holes as they are (as structuredClone
// does); it throws NOT_PLAIN at anything else (a Date, a Map, a class instance, a function).
function copyPlain(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) {
    if (typeof v === 'function' || typeof v === 'symbol') throw NOT_PLAIN;
    return v;
  }
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) throw NOT_PLAIN;
    const out: unknown[] = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) if (i in v) out[i] = copyPlain(v[i]);
    return out;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) throw NOT_PLAIN;
  const src = v as JsonObject;
  const out: JsonObject = {};
  for (const k of Object.keys(src)) {
    if (k === '__proto__') setOwn(out, k, copyPlain(src[k]));
    else out[k] = copyPlain(src[k]);
  }
  return out;
}

/**
 * cloneJson deep-copies a JSON value so the result shares no container with the input. Decoded
 * JSON (the objects of every request) is copied member by member, several times faster than
 * structuredClone, which stays the fallback for anything that is not plain data.
 */
export function cloneJson<T>(v: T): T {
  if (v === undefined) return v;
  try {
    return copyPlain(v) as T;
  } catch (e) {
    // a cycle overflows the stack: structuredClone copies those
    if (e !== NOT_PLAIN && !(e instanceof RangeError)) throw e;
    return structuredClone(v);
  }
}

/** jsonEqual compares two JSON values structurally; object key order does not matter. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every(k => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** canonicalJson serialises with sorted object keys, so equal values give equal strings. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isJsonObject(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map(k => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** dropNulls removes every object member whose value is null, at any depth. */
export function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (!isJsonObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) setOwn(out, k, dropNulls(x));
  return out;
}
