// A small bounded memo for the pure text parsers of this package: the API server parses the same
// few quantity and role strings in every write (each Offer of a cycle offers `cpus: "8"` for
// the same role), and BigInt arithmetic per parse was a measurable part of a create.
import { isPlainJson, jsonPrototypesClean } from '../util/plain-json.ts';

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

/**
 * exactJsonText is the JSON text of a decoded JSON value, or undefined when the value holds
 * anything its text would not stand for exactly (then it cannot key a memo).
 */
export function exactJsonText(v: unknown): string | undefined {
  return jsonPrototypesClean() && isPlainJson(v) ? JSON.stringify(v) : undefined;
}
