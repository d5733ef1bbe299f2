// ResourceLimits: name → upper bound, a missing name being unbounded (resource_quantities.cpp).
import type { ResourceQuantities } from './quantities.ts';
import type { Scalar } from './scalar.ts';
import { formatScalar, scalarSubFloor } from './scalar.ts';
import { byCodeUnit } from './set.ts';

/**
 * ResourceLimits is an immutable map from resource name to a finite limit where a missing name
 * means no limit (infinite). A zero limit is kept: it forbids the resource entirely. Used for
 * quota limits and as a shrink target.
 */
export class ResourceLimits implements Iterable<readonly [string, Scalar]> {
  /** NONE limits nothing. */
  static readonly NONE = new ResourceLimits(new Map());

  readonly #limits: ReadonlyMap<string, Scalar>;

  private constructor(sorted: ReadonlyMap<string, Scalar>) {
    this.#limits = sorted;
  }

  /** from builds limits from name/limit pairs; a repeated name or a negative limit throws. */
  static from(
    pairs: Iterable<readonly [string, Scalar]> | Readonly<Record<string, Scalar>>,
  ): ResourceLimits {
    const list = Symbol.iterator in pairs ? [...pairs] : Object.entries(pairs);
    const out = new Map<string, Scalar>();
    for (const [name, limit] of list) {
      if (limit < 0n) throw new RangeError(`limit of ${name} cannot be negative`);
      if (out.has(name)) throw new RangeError(`limit of ${name} is given twice`);
      out.set(name, limit);
    }
    return ResourceLimits.#sorted(out);
  }

  static #sorted(map: ReadonlyMap<string, Scalar>): ResourceLimits {
    if (map.size === 0) return ResourceLimits.NONE;
    const names = [...map.keys()].sort(byCodeUnit);
    return new ResourceLimits(new Map(names.map(n => [n, map.get(n) as Scalar])));
  }

  /** get is the limit of `name`, or undefined when it has none (infinite). */
  get(name: string): Scalar | undefined {
    return this.#limits.get(name);
  }

  /** size is the number of finite limits. */
  get size(): number {
    return this.#limits.size;
  }

  /** isEmpty reports that nothing is limited. */
  isEmpty(): boolean {
    return this.#limits.size === 0;
  }

  /** names lists the limited names, sorted. */
  names(): string[] {
    return [...this.#limits.keys()];
  }

  /** [Symbol.iterator] yields [name, limit] for the finite limits, in name order. */
  [Symbol.iterator](): Iterator<readonly [string, Scalar]> {
    return this.#limits.entries();
  }

  /** set returns a copy with `name` limited to `limit` (replacing any previous limit). */
  set(name: string, limit: Scalar): ResourceLimits {
    if (limit < 0n) throw new RangeError(`limit of ${name} cannot be negative`);
    return ResourceLimits.#sorted(new Map([...this.#limits, [name, limit]]));
  }

  /**
   * contains reports whether these limits are at least as loose as `that` for every name: an
   * infinite limit contains anything, and a finite one never contains an infinite one.
   */
  contains(that: ResourceLimits): boolean {
    for (const [name, limit] of this) {
      const other = that.get(name);
      if (other === undefined || limit < other) return false;
    }
    return true;
  }

  /** admits reports quantities ≤ limits for every name (an unlimited name admits anything). */
  admits(quantities: ResourceQuantities): boolean {
    for (const [name, amount] of quantities) {
      const limit = this.get(name);
      if (limit !== undefined && limit < amount) return false;
    }
    return true;
  }

  /**
   * subtractQuantities lowers each finite limit by the quantity, flooring at zero (the limit stays,
   * at zero); infinite limits stay infinite.
   */
  subtractQuantities(quantities: ResourceQuantities): ResourceLimits {
    if (quantities.isEmpty() || this.isEmpty()) return this;
    const out = new Map(this.#limits);
    for (const [name, limit] of this) out.set(name, scalarSubFloor(limit, quantities.get(name)));
    return new ResourceLimits(out);
  }

  /** equals reports the same finite limits. */
  equals(that: ResourceLimits): boolean {
    return this.size === that.size && this.contains(that) && that.contains(this);
  }

  /** toString prints Mesos's form, `cpus:1; mem:128`, or `{}` when nothing is limited. */
  toString(): string {
    if (this.isEmpty()) return '{}';
    return [...this].map(([name, limit]) => `${name}:${formatScalar(limit)}`).join('; ');
  }
}
