// Builders for the per-field causes of a 422, worded as apimachinery's `field.Error` renders
// them (`<Type string>: <bad value>: <detail>`), so kubectl users see what kube would print.
import type { StatusCause } from '../../../core/errors/index.ts';

/**
 * formatNumber prints a JSON number as Go's `%v` does for the int64 kube decodes integers into,
 * and as the shortest round-trip form otherwise (Go would switch to exponent form earlier for
 * float64 bounds such as 1e+06; we keep plain digits, which reads better and parses the same).
 */
export function formatNumber(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 1e21 ? n.toFixed(0) : String(n);
}

/**
 * renderValue prints a bad value like apimachinery: strings quoted (`%q`), numbers and booleans
 * bare, null as `null`, anything else as JSON.
 */
export function renderValue(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (v === undefined || v === null) return 'null';
  return JSON.stringify(v);
}

const at = (path: string): { field?: string } => (path === '' ? {} : { field: path });

/** fieldRequired is `Required value[: detail]` (FieldValueRequired). */
export function fieldRequired(path: string, detail = ''): StatusCause {
  const message = detail === '' ? 'Required value' : `Required value: ${detail}`;
  return { reason: 'FieldValueRequired', message, ...at(path) };
}

/** fieldInvalid is `Invalid value: <value>: <detail>` (FieldValueInvalid). */
export function fieldInvalid(path: string, value: unknown, detail: string): StatusCause {
  return {
    reason: 'FieldValueInvalid',
    message: `Invalid value: ${renderValue(value)}: ${detail}`,
    ...at(path),
  };
}

/** fieldTypeInvalid is `Invalid value: <value>: <detail>` with reason FieldValueTypeInvalid. */
export function fieldTypeInvalid(path: string, value: unknown, detail: string): StatusCause {
  return {
    reason: 'FieldValueTypeInvalid',
    message: `Invalid value: ${renderValue(value)}: ${detail}`,
    ...at(path),
  };
}

/** fieldNotSupported is `Unsupported value: <value>: supported values: "a", "b"`. */
export function fieldNotSupported(
  path: string,
  value: unknown,
  supported: readonly string[],
): StatusCause {
  const list = supported.map(s => JSON.stringify(s)).join(', ');
  const tail = supported.length === 0 ? '' : `: supported values: ${list}`;
  return {
    reason: 'FieldValueNotSupported',
    message: `Unsupported value: ${renderValue(value)}${tail}`,
    ...at(path),
  };
}

/**
 * fieldTooLong is `Too long: may not be longer than <max>` (FieldValueTooLong), the wording of
 * apimachinery ≤1.30 `TooLongMaxLength`; 1.31+ says `may not be more than <max> bytes`.
 */
export function fieldTooLong(path: string, max: number): StatusCause {
  return {
    reason: 'FieldValueTooLong',
    message: `Too long: may not be longer than ${formatNumber(max)}`,
    ...at(path),
  };
}

/** fieldTooLongBytes is `Too long: must have at most <max> bytes`, kube's annotation-size error. */
export function fieldTooLongBytes(path: string, max: number): StatusCause {
  return {
    reason: 'FieldValueTooLong',
    message: `Too long: must have at most ${formatNumber(max)} bytes`,
    ...at(path),
  };
}

/** fieldTooMany is `Too many: <actual>: must have at most <max> items` (FieldValueTooMany). */
export function fieldTooMany(path: string, actual: number, max: number): StatusCause {
  const noun = max === 1 ? 'item' : 'items';
  return {
    reason: 'FieldValueTooMany',
    message: `Too many: ${formatNumber(actual)}: must have at most ${formatNumber(max)} ${noun}`,
    ...at(path),
  };
}

/** fieldDuplicate is `Duplicate value: <value>` (FieldValueDuplicate). */
export function fieldDuplicate(path: string, value: unknown): StatusCause {
  return {
    reason: 'FieldValueDuplicate',
    message: `Duplicate value: ${renderValue(value)}`,
    ...at(path),
  };
}

/** fieldForbidden is `Forbidden: <detail>` (FieldValueForbidden). */
export function fieldForbidden(path: string, detail: string): StatusCause {
  return { reason: 'FieldValueForbidden', message: `Forbidden: ${detail}`, ...at(path) };
}
