// Kubernetes quantities in, Mesos units out. Every conversion is done on exact rationals
// (bigint numerator / denominator) and rounded once, half away from zero like Mesos's `llround`.
import { TextMemo } from './memo.ts';
import { ResourceParseError } from './parse-error.ts';
import type { Scalar } from './scalar.ts';
import { MILLI_PER_UNIT, scalarFromMilli } from './scalar.ts';

/**
 * QuantityUnit is what a bare number means for a resource: `count` for cpus, gpus, ports and
 * custom scalars; `megabytes` for mem and disk, which Mesos measures in MB (2^20 bytes).
 */
export type QuantityUnit = 'count' | 'megabytes';

const BYTE_RESOURCES = new Set(['mem', 'disk']);

/** unitOf names the Mesos unit of a resource: megabytes for `mem` and `disk`, else a count. */
export function unitOf(resourceName: string): QuantityUnit {
  return BYTE_RESOURCES.has(resourceName) ? 'megabytes' : 'count';
}

// <sign><digits><suffix>, as in k8s.io/apimachinery resource.Quantity. The exponent alternative
// comes before the bare `E` (exa) so that "1E3" is 1000 and "1E" is 10^18.
const QUANTITY = /^\+?(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|n|u|m|k|M|G|T|P|E)?$/;
const BINARY_POWER: Readonly<Record<string, bigint>> = {
  Ki: 10n,
  Mi: 20n,
  Gi: 30n,
  Ti: 40n,
  Pi: 50n,
  Ei: 60n,
};
const DECIMAL_POWER: Readonly<Record<string, bigint>> = {
  n: -9n,
  u: -6n,
  m: -3n,
  k: 3n,
  M: 6n,
  G: 9n,
  T: 12n,
  P: 15n,
  E: 18n,
};
// An exponent this large is a typo, and 10n ** 10n ** 9n would hang the process.
const MAX_EXPONENT = 100n;
const BYTES_PER_MB = 1n << 20n;

/** QuantityOptions says where a value came from (for errors) and what a bare number means. */
export interface QuantityOptions {
  readonly field: string;
  readonly unit: QuantityUnit;
}

// Parsed quantities by text, per unit: the result depends on nothing else.
const COUNTS = new TextMemo<Scalar>(1024);
const MEGABYTES = new TextMemo<Scalar>(1024);

/**
 * parseQuantity reads a Kubernetes quantity or a plain number into an exact Scalar in Mesos units.
 * Bare numbers (`2`, `0.5`, `1e3`) are already in Mesos units: cpus for cpus, MB for mem/disk.
 * A unit suffix on `mem`/`disk` means bytes (`2Gi` → 2048, `100Mi` → 100, `1G` → 953.674); on any
 * other resource it is a plain multiplier (`500m` → 0.5, `2k` → 2000). Sub-byte suffixes (n, u, m)
 * are rejected for mem/disk because `500m` there is almost always a mistake for `500Mi`. The value
 * is rounded to three decimals, half up; a non-zero value that rounds to zero is rejected, as Mesos
 * rejects `cpus:0.00001`. Negative, NaN and infinite values are rejected.
 */
export function parseQuantity(input: unknown, options: QuantityOptions): Scalar {
  const { field, unit } = options;
  const text = quantityText(input, field);
  // a text that fails is not remembered: its error names the field, which differs per call
  return (unit === 'megabytes' ? MEGABYTES : COUNTS).get(text, t => parseText(t, options));
}

function parseText(text: string, options: QuantityOptions): Scalar {
  const { field, unit } = options;
  if (text.startsWith('-')) {
    throw new ResourceParseError(
      field,
      `invalid quantity ${JSON.stringify(text)}: negative values are not allowed`,
    );
  }
  const match = QUANTITY.exec(text);
  if (match === null) {
    throw new ResourceParseError(
      field,
      `invalid quantity ${JSON.stringify(text)}: want a non-negative number such as 2, 0.5, 500m, 1e3 or 2Gi`,
    );
  }
  const [, mantissa = '', suffix = ''] = match;
  const [whole = '', frac = ''] = mantissa.split('.');
  let num = BigInt(`${whole}${frac}` || '0');
  let den = 10n ** BigInt(frac.length);
  let decimal = 0n;
  const binary = BINARY_POWER[suffix];
  const exponent = /^[eE][+-]?\d+$/.test(suffix);
  // `E` and `Ei` are byte suffixes (exa, exbi); only `e<n>` / `E<n>` forms are exponents
  const bytes = unit === 'megabytes' && suffix !== '' && !exponent;
  if (binary !== undefined) num *= 1n << binary;
  else if (exponent) decimal = BigInt(suffix.slice(1));
  else if (suffix !== '') decimal = DECIMAL_POWER[suffix] ?? 0n;
  if (bytes && decimal < 0n) {
    throw new ResourceParseError(
      field,
      `invalid quantity ${JSON.stringify(text)}: '${suffix}' is smaller than a byte; mem and disk take bytes with a suffix (Ki, Mi, Gi, k, M, G) or MB as a bare number`,
    );
  }
  if (decimal > MAX_EXPONENT || decimal < -MAX_EXPONENT) {
    throw new ResourceParseError(
      field,
      `invalid quantity ${JSON.stringify(text)}: exponent out of range`,
    );
  }
  if (decimal >= 0n) num *= 10n ** decimal;
  else den *= 10n ** -decimal;
  if (bytes) den *= BYTES_PER_MB;
  const milli = (num * MILLI_PER_UNIT * 2n + den) / (2n * den);
  if (milli === 0n && num !== 0n) {
    throw new ResourceParseError(
      field,
      `quantity ${JSON.stringify(text)} is below 0.001, the smallest amount Mesos can represent`,
    );
  }
  return scalarFromMilli(milli);
}

function quantityText(input: unknown, field: string): string {
  if (typeof input === 'string') return input.trim();
  if (typeof input === 'number') {
    if (!Number.isFinite(input))
      throw new ResourceParseError(field, `quantity must be finite, got ${input}`);
    return String(input);
  }
  if (typeof input === 'bigint') return input.toString();
  throw new ResourceParseError(
    field,
    `quantity must be a string or a number, got ${typeName(input)}`,
  );
}

/** typeName describes a JSON value's type for error messages. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
