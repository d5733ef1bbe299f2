// A small bounded memo for the pure text parsers of this package: the API server parses the same
// few quantity and role strings in every write (each Offer of a cycle offers `cpus: "8"` for
// the same role), and BigInt arithmetic per parse was a measurable part of a create.

/**
 * TextMemo remembers f(text) for up to `capacity` texts, then forgets everything and starts
 * again (a burst of distinct texts costs one parse each, as without the memo, and memory stays
 * bounded). Only for pure functions whose results are immutable (bigints, strings).
 */
export class TextMemo<V> {
  readonly #capacity: number;
  readonly #values = new Map<string, V>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** get returns the remembered value of text, computing and remembering it if needed. */
  get(text: string, compute: (text: string) => V): V {
    const known = this.#values.get(text);
    if (known !== undefined || this.#values.has(text)) return known as V;
    const value = compute(text);
    if (this.#values.size >= this.#capacity) this.#values.clear();
    this.#values.set(text, value);
    return value;
  }
}

// plainJson tells whether v is made of JSON values only, so that its JSON text stands for it
// exactly: no undefined, function, symbol or bigint anywhere, no -0, NaN or ±Infinity, no holes,
// no class instances, no `__proto__` or `toJSON` members.
function plainJson(v: unknown): boolean {
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
        for (let i = 0; i < v.length; i++) if (!(i in v) || !plainJson(v[i])) return false;
        return true;
      }
      if (Object.getPrototypeOf(v) !== Object.prototype) return false;
      const o = v as Record<string, unknown>;
      // for...in visits the own keys only: exactJsonText saw nothing enumerable in Object.prototype
      for (const k in o) if (k === '__proto__' || k === 'toJSON' || !plainJson(o[k])) return false;
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
 * exactJsonText is the JSON text of a decoded JSON value, or undefined when the value holds
 * anything its text would not stand for exactly (then it cannot key a memo).
 */
export function exactJsonText(v: unknown): string | undefined {
  if (Object.hasOwn(Object.prototype, 'toJSON') || Object.hasOwn(Array.prototype, 'toJSON'))
    return undefined;
  for (const _ in Object.prototype) return undefined;
  return plainJson(v) ? JSON.stringify(v) : undefined;
}

/** deepFreeze freezes an object and everything reachable from it (for memoised values). */
export function deepFreeze(v: unknown): void {
  if (typeof v !== 'object' || v === null) return;
  // a frozen container may still hold unfrozen values (makeRanges freezes only its array)
  Object.freeze(v);
  for (const x of Object.values(v)) deepFreeze(x);
}
