import { isPrefix, pathKey } from './path.ts';
import type { FieldPath } from './path.ts';

/**
 * FieldSet is an immutable set of field paths: the fields one manager owns, or the fields an
 * applied configuration sets. A path's presence says nothing about its descendants; a parent and
 * its children are separate members (kube's `.` entry marks a parent that is itself a member).
 */
export class FieldSet {
  /** EMPTY is the set with no paths. */
  static readonly EMPTY: FieldSet = new FieldSet(new Map());

  readonly #byKey: ReadonlyMap<string, FieldPath>;

  private constructor(byKey: ReadonlyMap<string, FieldPath>) {
    this.#byKey = byKey;
  }

  /** of builds a set from paths; duplicates collapse. */
  static of(paths: Iterable<FieldPath>): FieldSet {
    const m = new Map<string, FieldPath>();
    for (const p of paths) m.set(pathKey(p), [...p]);
    return new FieldSet(m);
  }

  /** size is the number of paths. */
  get size(): number {
    return this.#byKey.size;
  }

  /** isEmpty is true when the set has no paths. */
  isEmpty(): boolean {
    return this.#byKey.size === 0;
  }

  /** has is true when `p` itself is a member. */
  has(p: FieldPath): boolean {
    return this.#byKey.has(pathKey(p));
  }

  /** hasWithin is true when `p` or any path below it is a member (someone owns part of `p`). */
  hasWithin(p: FieldPath): boolean {
    if (this.has(p)) return true;
    for (const q of this.#byKey.values()) if (isPrefix(p, q)) return true;
    return false;
  }

  /** paths lists the members in a stable order (element-wise string order, parents first). */
  paths(): FieldPath[] {
    return [...this.#byKey.values()].sort(comparePaths);
  }

  /** union is every path in either set. */
  union(o: FieldSet): FieldSet {
    if (o.isEmpty()) return this;
    if (this.isEmpty()) return o;
    return new FieldSet(new Map([...this.#byKey, ...o.#byKey]));
  }

  /** difference is the paths of this set that are not in `o`. */
  difference(o: FieldSet): FieldSet {
    if (o.isEmpty() || this.isEmpty()) return this;
    return new FieldSet(new Map([...this.#byKey].filter(([k]) => !o.#byKey.has(k))));
  }

  /** intersection is the paths in both sets. */
  intersection(o: FieldSet): FieldSet {
    if (o.isEmpty() || this.isEmpty()) return FieldSet.EMPTY;
    return new FieldSet(new Map([...this.#byKey].filter(([k]) => o.#byKey.has(k))));
  }

  /** equals is true when both sets hold the same paths. */
  equals(o: FieldSet): boolean {
    return this.size === o.size && [...this.#byKey.keys()].every(k => o.#byKey.has(k));
  }
}

/** comparePaths orders paths element by element, a parent before its children. */
export function comparePaths(a: FieldPath, b: FieldPath): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
