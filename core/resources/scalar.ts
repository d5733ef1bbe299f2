// Exact scalar amounts. Mesos rounds every scalar to three decimals before it adds, subtracts or
// compares (src/common/values.cpp `convertToFixed`); we store that fixed-point value directly.

/**
 * Scalar is an exact, non-negative amount of one scalar resource in milli-units (1.5 cpus is
 * 1500n). It is a bigint, not a number: sums of quota-sized values cross 2^53 (Mesos allows a
 * 1 EiB memory quota, 1.1e15 milli-MB, so eight of them already lose precision as a double), and
 * bigint makes every sum and difference exact with no range to police. It never reaches JSON: the
 * wire form is a decimal string (`formatScalar`).
 */
export type Scalar = bigint & { readonly __brand: 'Scalar' };

/** ZERO_SCALAR is the empty amount. */
export const ZERO_SCALAR = 0n as Scalar;

/** MILLI_PER_UNIT is the fixed-point scale: three decimals, as in Mesos. */
export const MILLI_PER_UNIT = 1000n;

/** scalarFromMilli wraps a milli-unit count; it throws a RangeError for a negative count. */
export function scalarFromMilli(milli: bigint): Scalar {
  if (milli < 0n) throw new RangeError(`scalar cannot be negative: ${milli} milli-units`);
  return milli as Scalar;
}

/** scalarFromUnits turns a whole number of units (a range or set size) into a Scalar. */
export function scalarFromUnits(units: bigint | number): Scalar {
  return scalarFromMilli(BigInt(units) * MILLI_PER_UNIT);
}

/** scalarAdd is exact addition. */
export function scalarAdd(a: Scalar, b: Scalar): Scalar {
  return (a + b) as Scalar;
}

/**
 * scalarSub is exact subtraction and may return a negative amount; it exists for callers that
 * must notice an overdraft (Mesos removes a resource whose value went negative). Use
 * `scalarSubFloor` when the answer must stay a valid amount.
 */
export function scalarSub(a: Scalar, b: Scalar): Scalar {
  return (a - b) as Scalar;
}

/** scalarSubFloor subtracts and floors at zero, like Mesos quantity subtraction. */
export function scalarSubFloor(a: Scalar, b: Scalar): Scalar {
  return (a > b ? a - b : 0n) as Scalar;
}

/** scalarCompare orders two amounts: -1, 0 or 1. */
export function scalarCompare(a: Scalar, b: Scalar): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** scalarMin is the smaller of two amounts. */
export function scalarMin(a: Scalar, b: Scalar): Scalar {
  return a < b ? a : b;
}

/** isZeroScalar reports whether the amount is exactly zero. */
export function isZeroScalar(a: Scalar): boolean {
  return a === 0n;
}

/**
 * formatScalar renders the exact decimal with no trailing zeros: 1500n → "1.5", 1000001000n →
 * "1000001", 1n → "0.001". Unlike Mesos (which prints a double with 15 significant digits) it
 * never rounds, so it is also the lossless wire form.
 */
export function formatScalar(a: Scalar): string {
  const raw: bigint = a;
  const sign = raw < 0n ? '-' : '';
  const abs = raw < 0n ? -raw : raw;
  const whole = abs / MILLI_PER_UNIT;
  const frac = abs % MILLI_PER_UNIT;
  if (frac === 0n) return `${sign}${whole}`;
  return `${sign}${whole}.${frac.toString().padStart(3, '0').replace(/0+$/, '')}`;
}

/**
 * scalarToNumber converts to a double, for ratios such as DRF shares only: the result is
 * approximate above 2^53 milli-units and must never be fed back into resource arithmetic.
 */
export function scalarToNumber(a: Scalar): number {
  return Number(a) / 1000;
}
