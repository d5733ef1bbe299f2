// Small checks for reading untyped JSON/YAML with a field path in every error.
import { ResourceParseError } from './parse-error.ts';
import { typeName } from './quantity.ts';

/** JsonObject is a plain object read from JSON or YAML. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** asObject accepts a plain object (not null, not an array). */
export function asObject(value: unknown, field: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ResourceParseError(field, `must be an object, got ${typeName(value)}`);
  }
  return value as JsonObject;
}

/** asArray accepts an array. */
export function asArray(value: unknown, field: string): readonly unknown[] {
  if (!Array.isArray(value))
    throw new ResourceParseError(field, `must be a list, got ${typeName(value)}`);
  return value;
}

/** asString accepts a string; with `nonEmpty`, not "". */
export function asString(value: unknown, field: string, nonEmpty = true): string {
  if (typeof value !== 'string')
    throw new ResourceParseError(field, `must be a string, got ${typeName(value)}`);
  if (nonEmpty && value === '') throw new ResourceParseError(field, 'must not be empty');
  return value;
}

/** optString accepts an absent field or a non-empty string. */
export function optString(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : asString(value, field);
}

/** optBool accepts an absent field (false) or a boolean. */
export function optBool(value: unknown, field: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean')
    throw new ResourceParseError(field, `must be a boolean, got ${typeName(value)}`);
  return value;
}

/** asEnum accepts one of the listed strings. */
export function asEnum<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ResourceParseError(
      field,
      `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}

/** asStringMap accepts an object whose values are all strings. */
export function asStringMap(value: unknown, field: string): Readonly<Record<string, string>> {
  const o = asObject(value, field);
  for (const [k, v] of Object.entries(o)) asString(v, `${field}.${k}`, false);
  return o as Readonly<Record<string, string>>;
}

/** checkKeys rejects fields this parser does not know, rather than silently dropping them. */
export function checkKeys(o: JsonObject, allowed: readonly string[], field: string): void {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) {
      throw new ResourceParseError(
        `${field}.${key}`,
        `unknown field; expected one of ${allowed.join(', ')}`,
      );
    }
  }
}

/** rethrowAt turns a model RangeError into a ResourceParseError at `field`. */
export function rethrowAt<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof RangeError) throw new ResourceParseError(field, e.message);
    throw e;
  }
}
