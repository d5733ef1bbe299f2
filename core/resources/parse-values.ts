// Reading one resource value (scalar, ranges or set) from its YAML/JSON or Mesos text form.
import { ResourceParseError } from './parse-error.ts';
import { asArray, asObject, asString, checkKeys, rethrowAt } from './parse-util.ts';
import { parseQuantity, typeName, unitOf } from './quantity.ts';
import type { Range } from './ranges.ts';
import { makeRanges } from './ranges.ts';
import type { ResourceValue } from './resource.ts';
import { WELL_KNOWN_TYPES } from './resource.ts';
import { makeSet } from './set.ts';

/** parseScalarValue reads a quantity in the resource's Mesos unit (see `parseQuantity`). */
export function parseScalarValue(name: string, input: unknown, field: string): ResourceValue {
  return { type: 'SCALAR', scalar: parseQuantity(input, { field, unit: unitOf(name) }) };
}

const RANGE_TOKEN = /^(\d+)(?:\s*-\s*(\d+))?$/;

/**
 * parseRangesValue reads ranges from `31000-32000,33000`, Mesos's `[31000-32000, 33000-33000]`,
 * a single number, or a list of those and `{begin, end}` objects. Overlapping and adjacent ranges
 * are merged.
 */
export function parseRangesValue(input: unknown, field: string): ResourceValue {
  const list: Range[] = [];
  if (Array.isArray(input)) {
    for (const [i, item] of input.entries()) list.push(...rangeItem(item, `${field}[${i}]`));
  } else {
    list.push(...rangeItem(input, field));
  }
  return { type: 'RANGES', ranges: rethrowAt(field, () => makeRanges(list)) };
}

function rangeItem(input: unknown, field: string): Range[] {
  if (typeof input === 'number') return [{ begin: input, end: input }];
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    const o = asObject(input, field);
    checkKeys(o, ['begin', 'end'], field);
    return [{ begin: bound(o['begin'], `${field}.begin`), end: bound(o['end'], `${field}.end`) }];
  }
  let text = asString(input, field, false).trim();
  if (text.startsWith('[') !== text.endsWith(']')) {
    throw new ResourceParseError(field, `mismatched brackets in ${JSON.stringify(text)}`);
  }
  if (text.startsWith('[')) text = text.slice(1, -1).trim();
  if (text === '') return [];
  return text.split(',').map(token => {
    const m = RANGE_TOKEN.exec(token.trim());
    if (m === null) {
      throw new ResourceParseError(
        field,
        `invalid range ${JSON.stringify(token.trim())}: want 31000-32000 or 33000`,
      );
    }
    const begin = bound(m[1], field);
    return { begin, end: m[2] === undefined ? begin : bound(m[2], field) };
  });
}

function bound(input: unknown, field: string): number {
  const n = typeof input === 'string' && /^\d+$/.test(input) ? Number(input) : input;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new ResourceParseError(
      field,
      `range bound must be a non-negative integer, got ${JSON.stringify(input) ?? typeName(input)}`,
    );
  }
  return n;
}

/** parseSetValue reads a set from a list of strings, `{a,b}` or `a,b`; duplicates are an error. */
export function parseSetValue(input: unknown, field: string): ResourceValue {
  let items: string[];
  if (Array.isArray(input)) {
    items = input.map((x, i) => asString(x, `${field}[${i}]`).trim());
  } else {
    let text = asString(input, field, false).trim();
    if (text.startsWith('{') !== text.endsWith('}')) {
      throw new ResourceParseError(field, `mismatched braces in ${JSON.stringify(text)}`);
    }
    if (text.startsWith('{')) text = text.slice(1, -1);
    items = text
      .split(',')
      .map(s => s.trim())
      .filter(s => s !== '');
  }
  return { type: 'SET', set: rethrowAt(field, () => makeSet(items)) };
}

const LOOKS_LIKE_RANGES = /^\d+\s*-\s*\d+(\s*,\s*\d+(\s*-\s*\d+)?)*$/;

/**
 * inferValue reads a value whose type is not declared (the map and text forms). Well-known names
 * have a fixed type (`ports: 33000` is the range [33000-33000]). Otherwise `[...]` or `a-b,...` is
 * ranges, `{...}` or a list is a set, and anything else is a scalar quantity.
 */
export function inferValue(name: string, input: unknown, field: string): ResourceValue {
  const known = WELL_KNOWN_TYPES.get(name);
  if (known === 'SCALAR') return parseScalarValue(name, input, field);
  if (known === 'RANGES') return parseRangesValue(input, field);
  if (Array.isArray(input)) return parseSetValue(asArray(input, field), field);
  if (typeof input === 'string') {
    const text = input.trim();
    if (text.startsWith('[') || LOOKS_LIKE_RANGES.test(text)) return parseRangesValue(text, field);
    if (text.startsWith('{')) return parseSetValue(text, field);
  }
  return parseScalarValue(name, input, field);
}
