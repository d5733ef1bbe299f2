// ResourceQuantities: name → amount with no other metadata (src/common/resource_quantities.cpp).
import type { Scalar } from './scalar.ts';
import { formatScalar, scalarAdd, scalarSubFloor, ZERO_SCALAR } from './scalar.ts';
import { byCodeUnit } from './set.ts';

/**
 * ResourceQuantities is an immutable map from resource name to amount where a missing name means
 * zero. Zero entries are never stored, so two equal quantities have the same names. A range or
 * set resource counts its elements (`ports:[1-5]` is 5). Used for allocations, guarantees and
 * minimum allocatable resources.
 */
export class ResourceQuantities implements Iterable<readonly [string, Scalar]> {
  /** EMPTY is zero of everything. */
  static readonly EMPTY = new ResourceQuantities(new Map());

  readonly #amounts: ReadonlyMap<string, Scalar>;

  private constructor(sortedNonZero: ReadonlyMap<string, Scalar>) {
    this.#amounts = sortedNonZero;
  }

  /**
   * from builds quantities from name/amount pairs. Repeated names are summed and zero amounts
   * dropped; a negative amount throws a RangeError.
   */
  static from(
    pairs: Iterable<readonly [string, Scalar]> | Readonly<Record<string, Scalar>>,
  ): ResourceQuantities {
    const list = Symbol.iterator in pairs ? [...pairs] : Object.entries(pairs);
    const sums = new Map<string, Scalar>();
    for (const [name, amount] of list) {
      if (amount < 0n) throw new RangeError(`quantity of ${name} cannot be negative`);
      sums.set(name, scalarAdd(sums.get(name) ?? ZERO_SCALAR, amount));
    }
    return ResourceQuantities.#sorted(sums);
  }

  static #sorted(map: ReadonlyMap<string, Scalar>): ResourceQuantities {
    const names = [...map.keys()].sort(byCodeUnit);
    const out = new Map<string, Scalar>();
    for (const name of names) {
      const amount = map.get(name) ?? ZERO_SCALAR;
      if (amount > 0n) out.set(name, amount);
    }
    return out.size === 0 ? ResourceQuantities.EMPTY : new ResourceQuantities(out);
  }

  /** get is the amount of `name`; zero when absent. */
  get(name: string): Scalar {
    return this.#amounts.get(name) ?? ZERO_SCALAR;
  }

  /** has reports a non-zero amount of `name`. */
  has(name: string): boolean {
    return this.#amounts.has(name);
  }

  /** size is the number of names with a non-zero amount. */
  get size(): number {
    return this.#amounts.size;
  }

  /** isEmpty reports zero of everything. */
  isEmpty(): boolean {
    return this.#amounts.size === 0;
  }

  /** names lists the names with a non-zero amount, sorted. */
  names(): string[] {
    return [...this.#amounts.keys()];
  }

  /** [Symbol.iterator] yields [name, amount] in name order. */
  [Symbol.iterator](): Iterator<readonly [string, Scalar]> {
    return this.#amounts.entries();
  }

  /** add sums per name. */
  add(that: ResourceQuantities): ResourceQuantities {
    if (that.isEmpty()) return this;
    if (this.isEmpty()) return that;
    const out = new Map(this.#amounts);
    for (const [name, amount] of that) out.set(name, scalarAdd(this.get(name), amount));
    return ResourceQuantities.#sorted(out);
  }

  /**
   * subtract is per-name subtraction floored at zero: names that reach zero disappear, and names
   * only in `that` are ignored (Mesos never produces a negative quantity).
   */
  subtract(that: ResourceQuantities): ResourceQuantities {
    if (that.isEmpty() || this.isEmpty()) return this;
    const out = new Map(this.#amounts);
    for (const [name, amount] of that) {
      if (out.has(name)) out.set(name, scalarSubFloor(this.get(name), amount));
    }
    return ResourceQuantities.#sorted(out);
  }

  /** contains reports whether every amount in `that` is ≤ the amount here (missing = zero). */
  contains(that: ResourceQuantities): boolean {
    for (const [name, amount] of that) if (this.get(name) < amount) return false;
    return true;
  }

  /** equals reports the same amount for every name. */
  equals(that: ResourceQuantities): boolean {
    return this.size === that.size && this.contains(that) && that.contains(this);
  }

  /** filter keeps the names the predicate accepts. */
  filter(keep: (name: string, amount: Scalar) => boolean): ResourceQuantities {
    return ResourceQuantities.#sorted(new Map([...this].filter(([n, a]) => keep(n, a))));
  }

  /** toString prints Mesos's form, `cpus:1; mem:128`, or `{}` when empty. */
  toString(): string {
    if (this.isEmpty()) return '{}';
    return [...this].map(([name, amount]) => `${name}:${formatScalar(amount)}`).join('; ');
  }
}
