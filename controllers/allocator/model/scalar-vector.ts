// The allocator's compact view of scalar quantities. `ResourceQuantities` is an immutable map that
// allocates on every add; the allocator adds and subtracts the same few names millions of times a
// cycle (shares, quota consumption, headroom), so its running totals are mutable arrays of exact
// Scalars indexed by interned names. Arithmetic still goes through core/resources' scalar
// functions; only the container differs. Measured: see bench/allocator.ts.
import type { Resources, Scalar } from '../../../core/resources/index.ts';
import {
  ResourceQuantities,
  ZERO_SCALAR,
  isReserved,
  scalarAdd,
  scalarSubFloor,
} from '../../../core/resources/index.ts';

/** ScalarNames interns scalar resource names to dense indices, shared by one model's vectors. */
export class ScalarNames {
  readonly #index = new Map<string, number>();
  readonly #names: string[] = [];
  /** indexOf returns the name's index, interning it on first sight. */
  indexOf(name: string): number {
    let i = this.#index.get(name);
    if (i === undefined) {
      i = this.#names.length;
      this.#index.set(name, i);
      this.#names.push(name);
    }
    return i;
  }

  /** find returns the name's index, or undefined if it was never interned. */
  find(name: string): number | undefined {
    return this.#index.get(name);
  }

  /** nameAt is the name at an index. */
  nameAt(i: number): string {
    return this.#names[i] ?? '';
  }

  /** size is the number of interned names. */
  get size(): number {
    return this.#names.length;
  }
}

/** ScalarDelta is a sparse list of (name index, amount) pairs to add to or take from a vector. */
export interface ScalarDelta {
  readonly idx: readonly number[];
  readonly amt: readonly Scalar[];
}

/** EMPTY_DELTA changes nothing. */
export const EMPTY_DELTA: ScalarDelta = { idx: [], amt: [] };

/**
 * ScalarSplit is the scalar part of some resources seen three ways: all of it (what DRF shares
 * count), the quota part (unreserved, non-revocable: what quota consumption and headroom count)
 * and the reserved part.
 */
export interface ScalarSplit {
  readonly all: ScalarDelta;
  readonly quota: ScalarDelta;
  readonly reserved: ScalarDelta;
}

/** EMPTY_SPLIT holds nothing. */
export const EMPTY_SPLIT: ScalarSplit = {
  all: EMPTY_DELTA,
  quota: EMPTY_DELTA,
  reserved: EMPTY_DELTA,
};

function push(d: { idx: number[]; amt: Scalar[] }, i: number, amount: Scalar): void {
  const at = d.idx.indexOf(i);
  if (at < 0) {
    d.idx.push(i);
    d.amt.push(amount);
  } else {
    d.amt[at] = scalarAdd(d.amt[at] ?? ZERO_SCALAR, amount);
  }
}

/**
 * splitScalars reads the scalar resources of `resources` into a ScalarSplit. Shared resources
 * count once whatever their copy count, as Mesos quantities do; ranges and sets are ignored.
 */
export function splitScalars(names: ScalarNames, resources: Resources): ScalarSplit {
  if (resources.isEmpty()) return EMPTY_SPLIT;
  const all = { idx: [] as number[], amt: [] as Scalar[] };
  const quota = { idx: [] as number[], amt: [] as Scalar[] };
  const reserved = { idx: [] as number[], amt: [] as Scalar[] };
  for (const r of resources) {
    if (r.value.type !== 'SCALAR') continue;
    const i = names.indexOf(r.name);
    push(all, i, r.value.scalar);
    if (isReserved(r)) push(reserved, i, r.value.scalar);
    else if (!r.revocable) push(quota, i, r.value.scalar);
  }
  return { all, quota, reserved };
}

/** deltaOf turns quantities into a delta. */
export function deltaOf(names: ScalarNames, q: ResourceQuantities): ScalarDelta {
  const idx: number[] = [];
  const amt: Scalar[] = [];
  for (const [name, amount] of q) {
    idx.push(names.indexOf(name));
    amt.push(amount);
  }
  return { idx, amt };
}

/**
 * QuantityVector is a mutable running total of scalar amounts by name index: the compact
 * counterpart of ResourceQuantities (missing = zero). Subtraction floors at zero, as Mesos
 * quantity subtraction does, so a bookkeeping slip cannot produce a negative amount.
 */
export class QuantityVector {
  #amounts: Scalar[] = [];

  /** get is the amount at a name index (zero when never set). */
  get(i: number): Scalar {
    return this.#amounts[i] ?? ZERO_SCALAR;
  }

  /** length is one past the highest index ever set. */
  get length(): number {
    return this.#amounts.length;
  }

  /** add adds a delta in place. */
  add(d: ScalarDelta): void {
    for (let k = 0; k < d.idx.length; k++) {
      const i = d.idx[k] as number;
      while (this.#amounts.length <= i) this.#amounts.push(ZERO_SCALAR);
      this.#amounts[i] = scalarAdd(this.#amounts[i] as Scalar, d.amt[k] as Scalar);
    }
  }

  /** subtract takes a delta out in place, flooring each amount at zero. */
  subtract(d: ScalarDelta): void {
    for (let k = 0; k < d.idx.length; k++) {
      const i = d.idx[k] as number;
      if (i < this.#amounts.length) {
        this.#amounts[i] = scalarSubFloor(this.#amounts[i] as Scalar, d.amt[k] as Scalar);
      }
    }
  }

  /** addVector adds another vector in place. */
  addVector(v: QuantityVector): void {
    for (let i = 0; i < v.length; i++) {
      while (this.#amounts.length <= i) this.#amounts.push(ZERO_SCALAR);
      this.#amounts[i] = scalarAdd(this.#amounts[i] as Scalar, v.get(i));
    }
  }

  /** subtractVector takes another vector out in place, flooring each amount at zero. */
  subtractVector(v: QuantityVector): void {
    const n = Math.min(v.length, this.#amounts.length);
    for (let i = 0; i < n; i++) {
      this.#amounts[i] = scalarSubFloor(this.#amounts[i] as Scalar, v.get(i));
    }
  }

  /** copy returns an independent vector with the same amounts. */
  copy(): QuantityVector {
    const out = new QuantityVector();
    out.#amounts = [...this.#amounts];
    return out;
  }

  /** isZero reports zero of everything. */
  isZero(): boolean {
    return this.#amounts.every(a => a === ZERO_SCALAR);
  }

  /** toQuantities converts back to the immutable form, for reports and quota arithmetic. */
  toQuantities(names: ScalarNames): ResourceQuantities {
    const pairs: [string, Scalar][] = [];
    for (let i = 0; i < this.#amounts.length; i++) {
      const a = this.#amounts[i] as Scalar;
      if (a !== ZERO_SCALAR) pairs.push([names.nameAt(i), a]);
    }
    return pairs.length === 0 ? ResourceQuantities.EMPTY : ResourceQuantities.from(pairs);
  }
}
