// Structural rules for the logical junctors (allOf, anyOf, oneOf, not): they may only add value
// validation to a structure specified outside them (apiextensions `validateNestedValueValidation`
// and `validateStructuralCompleteness`).
import type { StatusCause } from '../../../core/errors/index.ts';
import { fieldForbidden, fieldInvalid, fieldRequired } from './field-errors.ts';
import type { JsonObject } from './json.ts';
import { child, isObject, propPath } from './json.ts';
import { checkKeywords } from './structural-keywords.ts';

const JUNCTORS = ['allOf', 'anyOf', 'oneOf'] as const;
const MUST_BE_EMPTY = ['type', 'title', 'description'];
const MUST_BE_UNDEFINED = ['additionalProperties', 'default'];
const MUST_BE_FALSE = [
  'nullable',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
];

// The int-or-string idiom `anyOf: [{type: integer}, {type: string}]` is the one place a junctor
// may carry types: directly under a structural node, or in its first allOf entry.
function isIntOrStringAnyOf(anyOf: unknown): boolean {
  if (!Array.isArray(anyOf) || anyOf.length !== 2) return false;
  const only = (x: unknown, t: string): boolean =>
    isObject(x) && Object.keys(x).length === 1 && x['type'] === t;
  return only(anyOf[0], 'integer') && only(anyOf[1], 'string');
}

/** Alternative is one junctor entry and its path (`<path>.allOf[0]`, `<path>.not`). */
interface Alternative {
  readonly schema: unknown;
  readonly path: string;
  readonly junctor: (typeof JUNCTORS)[number] | 'not';
  readonly index: number;
}

function alternatives(s: JsonObject, path: string): Alternative[] {
  const out: Alternative[] = [];
  for (const junctor of JUNCTORS) {
    const list = s[junctor];
    if (!Array.isArray(list)) continue;
    list.forEach((schema: unknown, index) => {
      out.push({ schema, path: `${child(path, junctor)}[${index}]`, junctor, index });
    });
  }
  if (s['not'] !== undefined)
    out.push({ schema: s['not'], path: child(path, 'not'), junctor: 'not', index: 0 });
  return out;
}

// nested checks one node inside a junctor: no structure of its own, no metadata.
function nested(v: unknown, path: string, skipAnyOf: boolean, out: StatusCause[]): void {
  if (!isObject(v)) {
    out.push(fieldInvalid(path, v, 'must be a schema object'));
    return;
  }
  checkKeywords(v, path, out);
  for (const k of MUST_BE_EMPTY) {
    if (v[k] !== undefined && v[k] !== '')
      out.push(fieldForbidden(child(path, k), 'must be empty to be structural'));
  }
  for (const k of MUST_BE_UNDEFINED) {
    if (v[k] !== undefined)
      out.push(fieldForbidden(child(path, k), 'must be undefined to be structural'));
  }
  for (const k of MUST_BE_FALSE) {
    if (v[k] === true) out.push(fieldForbidden(child(path, k), 'must be false to be structural'));
  }
  for (const k of Object.keys(v)) {
    if (
      k.startsWith('x-kubernetes-') &&
      !MUST_BE_FALSE.includes(k) &&
      k !== 'x-kubernetes-validations'
    ) {
      out.push(fieldForbidden(child(path, k), 'must be undefined to be structural'));
    }
  }
  const props = isObject(v['properties']) ? v['properties'] : {};
  for (const [k, p] of Object.entries(props)) {
    if (k === 'metadata')
      out.push(fieldForbidden(propPath(path, k), 'must not be specified in a nested context'));
    nested(p, propPath(path, k), false, out);
  }
  if (v['items'] !== undefined && !Array.isArray(v['items']))
    nested(v['items'], child(path, 'items'), false, out);
  const idiom = skipAnyOf && isIntOrStringAnyOf(v['anyOf']);
  for (const alt of alternatives(v, path)) {
    if (!(idiom && alt.junctor === 'anyOf')) nested(alt.schema, alt.path, false, out);
  }
}

// complete requires every property and items that junctor node v specifies to be specified by
// the structural node s too.
function complete(
  v: unknown,
  s: unknown,
  paths: { s: string; v: string },
  out: StatusCause[],
): void {
  if (!isObject(v)) return;
  if (!isObject(s)) {
    out.push(fieldRequired(paths.s, `because it is defined in ${paths.v}`));
    return;
  }
  for (const alt of alternatives(v, paths.v))
    complete(alt.schema, s, { s: paths.s, v: alt.path }, out);
  if (isObject(v['items'])) {
    complete(
      v['items'],
      s['items'],
      { s: child(paths.s, 'items'), v: child(paths.v, 'items') },
      out,
    );
  }
  const vProps = isObject(v['properties']) ? v['properties'] : {};
  const sProps = isObject(s['properties']) ? s['properties'] : {};
  const ap = s['additionalProperties'];
  for (const [k, vp] of Object.entries(vProps)) {
    const vPath = propPath(paths.v, k);
    if (Object.hasOwn(sProps, k))
      complete(vp, sProps[k], { s: propPath(paths.s, k), v: vPath }, out);
    else if (isObject(ap))
      complete(vp, ap, { s: child(paths.s, 'additionalProperties'), v: vPath }, out);
    else out.push(fieldRequired(propPath(paths.s, k), `because it is defined in ${vPath}`));
  }
}

/** checkJunctors checks the junctors of structural node s (at path) for structurality. */
export function checkJunctors(s: JsonObject, path: string, out: StatusCause[]): void {
  const idiomAnyOf = isIntOrStringAnyOf(s['anyOf']);
  for (const alt of alternatives(s, path)) {
    const first = alt.junctor === 'allOf' && alt.index === 0;
    if (!(idiomAnyOf && alt.junctor === 'anyOf')) nested(alt.schema, alt.path, first, out);
    complete(alt.schema, s, { s: path, v: alt.path }, out);
  }
}
