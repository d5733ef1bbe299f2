// Small helpers over decoded JSON values and the field paths kube reports for them.

/** JsonObject is a decoded JSON object. */
export type JsonObject = Record<string, unknown>;

/** isObject tells whether v is a decoded JSON object (not an array, not null). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * jsonType names v's JSON type the way kube-openapi reports it in type errors: integral numbers
 * are `integer`, others `number`.
 */
export function jsonType(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** canonicalJson serialises v with sorted object keys, so equal values give equal strings. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map(k => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** hasOwn tells whether o has its own key k (`in` would also see `constructor` and friends). */
export function hasOwn(o: JsonObject, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

/** setOwn sets an own data property, even for a key such as `__proto__`. */
export function setOwn(o: JsonObject, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
}

/**
 * child appends an object key to a field path with a dot. kube-openapi (CR validation) and the
 * pruner both use dots for map keys too (`spec.limits.cpus`), unlike hand-written kube
 * validation's `[key]`; we follow the CR code paths.
 */
export function child(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** index appends an array index to a field path: `spec.roles[0]`. */
export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}

/** propPath is kube's path of a named property schema: `<path>.properties[<name>]`. */
export function propPath(path: string, name: string): string {
  return `${child(path, 'properties')}[${name}]`;
}

/**
 * forInIsOwn tells whether `for...in` over o visits exactly Object.keys(o), in the same order:
 * o's prototype is Object.prototype and nothing enumerable was ever added to that. The walks run
 * on every write and then iterate without building a keys array per object.
 */
export function forInIsOwn(o: object): boolean {
  if (Object.getPrototypeOf(o) !== Object.prototype) return false;
  for (const _ in Object.prototype) return false;
  return true;
}
