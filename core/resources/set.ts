// Value::Set: a set of strings (src/common/values.cpp), kept sorted so equal sets compare equal.

/** ValueSet is a sorted list of distinct strings. */
export type ValueSet = readonly string[] & { readonly __brand: 'ValueSet' };

/** EMPTY_SET holds no item. */
export const EMPTY_SET = Object.freeze([]) as unknown as ValueSet;

/**
 * makeSet builds a set from distinct items. Throws a RangeError on a duplicate, as Mesos
 * `Resources::validate` rejects "duplicated elements", and on an empty item.
 */
export function makeSet(items: readonly string[]): ValueSet {
  const sorted = [...items].sort(byCodeUnit);
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i] === '') throw new RangeError('set items cannot be empty');
    if (i > 0 && sorted[i] === sorted[i - 1]) {
      throw new RangeError(`set item ${JSON.stringify(sorted[i])} is duplicated`);
    }
  }
  return Object.freeze(sorted) as unknown as ValueSet;
}

/** byCodeUnit orders strings by UTF-16 code units: stable across locales, unlike localeCompare. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** setAdd is the union of two sets. */
export function setAdd(a: ValueSet, b: ValueSet): ValueSet {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  return makeSet([...new Set([...a, ...b])]);
}

/** setSubtract removes b's items from a; items of b not in a are ignored. */
export function setSubtract(a: ValueSet, b: ValueSet): ValueSet {
  if (b.length === 0) return a;
  const drop = new Set(b);
  return Object.freeze(a.filter(item => !drop.has(item))) as unknown as ValueSet;
}

/** setContains reports whether every item of b is in a (b ⊆ a). */
export function setContains(a: ValueSet, b: ValueSet): boolean {
  if (b.length > a.length) return false;
  const have = new Set(a);
  return b.every(item => have.has(item));
}

/** setEqual reports whether two sets hold the same items. */
export function setEqual(a: ValueSet, b: ValueSet): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** formatSet prints Mesos's form: `{a, b}`. */
export function formatSet(a: ValueSet): string {
  return `{${a.join(', ')}}`;
}
