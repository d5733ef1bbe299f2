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
import type { SchemaNode } from './schema-node.ts';

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

// codePoints counts a string's code points (UTF-16 length less surrogate pairs), as kube
// counts runes, without building the list of pairs.
function codePoints(str: string): number {
  let len = str.length;
  for (let i = 0; i + 1 < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = str.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        len -= 1;
        i += 1;
      }
    }
  }
  return len;
}

function numberPasses(n: number, s: JSONSchemaProps): boolean {
  const m = s.multipleOf;
  if (m !== undefined && m > 0) {
    const q = n / m;
    if (Math.abs(q - Math.round(q)) > 1e-9 * Math.max(1, Math.abs(q))) return false;
  }
  if (s.maximum !== undefined && (s.exclusiveMaximum === true ? n >= s.maximum : n > s.maximum))
    return false;
  if (s.minimum !== undefined && (s.exclusiveMinimum === true ? n <= s.minimum : n < s.minimum))
    return false;
  return true;
}

// Strings a pattern has been tried on, per schema node: the same roles, framework names and
// quantities come in every write, and a match costs more than a lookup. Bounded per node.
const MAX_MATCHES = 1024;

function patternMatches(str: string, n: SchemaNode): boolean {
  const memo = n.matches;
  const known = memo?.get(str);
  if (known !== undefined) return known;
  // a pattern that does not compile checks nothing, as in checkString
  const ok = patternOf(n.s)?.test(str) !== false;
  if (memo !== undefined) {
    if (memo.size >= MAX_MATCHES) memo.clear();
    memo.set(str, ok);
  }
  return ok;
}

function stringPasses(str: string, n: SchemaNode): boolean {
  const { maxLength, minLength } = n.s;
  // the UTF-16 length bounds the code points from above, and from below by half
  if (maxLength !== undefined && str.length > maxLength && codePoints(str) > maxLength)
    return false;
  if (minLength !== undefined && str.length < 2 * minLength && codePoints(str) < minLength)
    return false;
  return n.s.pattern === undefined || patternMatches(str, n);
}

/**
 * scalarPasses tells, without building any cause, whether checkScalar would report nothing for
 * v under n (the common case: callers then spell the field path only for values that fail).
 */
export function scalarPasses(v: unknown, n: SchemaNode): boolean {
  if (!n.scalarChecks) return true;
  const s = n.s;
  if (s.format !== undefined) {
    if (typeof v === 'string' && stringFormatValid(s.format, v) === false) return false;
    if (typeof v === 'number' && numberFormatValid(s.format, v) === false) return false;
  }
  if (n.stringEnum !== undefined) {
    // a string's canonical JSON can only equal a string member's
    if (typeof v === 'string' ? !n.stringEnum.has(v) : !enumAllows(s, v)) return false;
  }
  if (typeof v === 'number') return numberPasses(v, s);
  if (typeof v === 'string') return stringPasses(v, n);
  return true;
}

/** typePasses tells, without building any cause, whether checkType would report nothing. */
export function typePasses(v: unknown, n: SchemaNode): boolean {
  const want = n.want;
  return want === undefined || (v === null && n.nullable) || typeMatches(v, want);
}
