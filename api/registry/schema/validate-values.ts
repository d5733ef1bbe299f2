// Value checks of one schema node that need no recursion: type, format, enum, and the numeric
// and string bounds. Details are worded as kube-openapi words them (`<path> in body should ...`).
import type { StatusCause } from '../../../core/errors/index.ts';
import type { JSONSchemaProps } from '../crd-types.ts';
import { enumAllows, patternOf } from './compiled.ts';
import {
  fieldInvalid,
  fieldNotSupported,
  fieldTooLong,
  fieldTypeInvalid,
  formatNumber,
} from './field-errors.ts';
import { numberFormatValid, stringFormatValid } from './formats.ts';
import { isObject, jsonType } from './json.ts';

/** subject is how kube-openapi names a field in its details: the path, `<path> in body`. */
export function subject(path: string): string {
  return `${path === '' ? '<root>' : path} in body`;
}

// expectedType is what s requires of a value's JSON type, or undefined for anything.
function expectedType(s: JSONSchemaProps): string | undefined {
  if (s['x-kubernetes-int-or-string'] === true) return 'integer,string';
  return s.type;
}

function typeMatches(v: unknown, t: string): boolean {
  switch (t) {
    case 'integer,string':
      return typeof v === 'string' || Number.isInteger(v);
    case 'integer':
      return Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'object':
      return isObject(v);
    case 'array':
      return Array.isArray(v);
    default:
      return typeof v === t;
  }
}

/**
 * checkType reports a value whose JSON type is not the schema's (null included unless nullable),
 * e.g. `spec.size in body must be of type integer: "string"`; true when the type is fine.
 */
export function checkType(
  v: unknown,
  s: JSONSchemaProps,
  path: string,
  out: StatusCause[],
): boolean {
  const want = expectedType(s);
  if (want === undefined || (v === null && s.nullable === true) || typeMatches(v, want))
    return true;
  const got = jsonType(v);
  out.push(fieldTypeInvalid(path, got, `${subject(path)} must be of type ${want}: "${got}"`));
  return false;
}

function checkNumber(n: number, s: JSONSchemaProps, path: string, out: StatusCause[]): void {
  const what = subject(path);
  const m = s.multipleOf;
  if (m !== undefined && m > 0) {
    // Compare the quotient with its rounding, with a relative tolerance for binary fractions
    // such as 0.3 / 0.1.
    const q = n / m;
    if (Math.abs(q - Math.round(q)) > 1e-9 * Math.max(1, Math.abs(q))) {
      out.push(fieldInvalid(path, n, `${what} should be a multiple of ${formatNumber(m)}`));
    }
  }
  if (s.maximum !== undefined) {
    const excl = s.exclusiveMaximum === true;
    if (excl ? n >= s.maximum : n > s.maximum) {
      const rel = excl ? 'less than' : 'less than or equal to';
      out.push(fieldInvalid(path, n, `${what} should be ${rel} ${formatNumber(s.maximum)}`));
    }
  }
  if (s.minimum !== undefined) {
    const excl = s.exclusiveMinimum === true;
    if (excl ? n <= s.minimum : n < s.minimum) {
      const rel = excl ? 'greater than' : 'greater than or equal to';
      out.push(fieldInvalid(path, n, `${what} should be ${rel} ${formatNumber(s.minimum)}`));
    }
  }
}

function checkString(str: string, s: JSONSchemaProps, path: string, out: StatusCause[]): void {
  // Lengths count code points (UTF-16 length less surrogate pairs), as kube counts runes.
  const len =
    s.maxLength !== undefined || s.minLength !== undefined
      ? str.length - (str.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0)
      : 0;
  if (s.maxLength !== undefined && len > s.maxLength) out.push(fieldTooLong(path, s.maxLength));
  if (s.minLength !== undefined && len < s.minLength) {
    out.push(
      fieldInvalid(path, str, `${subject(path)} should be at least ${s.minLength} chars long`),
    );
  }
  if (s.pattern !== undefined && patternOf(s)?.test(str) === false) {
    out.push(fieldInvalid(path, str, `${subject(path)} should match '${s.pattern}'`));
  }
}

function checkFormat(v: unknown, s: JSONSchemaProps, path: string, out: StatusCause[]): void {
  if (s.format === undefined) return;
  let ok: boolean | undefined;
  if (typeof v === 'string') ok = stringFormatValid(s.format, v);
  else if (typeof v === 'number') ok = numberFormatValid(s.format, v);
  if (ok === false) {
    const shown = typeof v === 'string' ? v : formatNumber(v as number);
    out.push(fieldTypeInvalid(path, v, `${subject(path)} must be of type ${s.format}: "${shown}"`));
  }
}

/** checkScalar runs format, enum, number and string checks of s against a non-null value. */
export function checkScalar(
  v: unknown,
  s: JSONSchemaProps,
  path: string,
  out: StatusCause[],
): void {
  checkFormat(v, s, path, out);
  if (!enumAllows(s, v)) {
    const supported = (s.enum ?? []).map(e => (typeof e === 'string' ? e : JSON.stringify(e)));
    out.push(fieldNotSupported(path, v, supported));
  }
  if (typeof v === 'number') checkNumber(v, s, path, out);
  else if (typeof v === 'string') checkString(v, s, path, out);
}
