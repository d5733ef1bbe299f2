// Validation of a (pruned, defaulted) custom object against its structural schema: every
// failure becomes one cause with its field path and a kube-like message.
//
// Hand-rolled rather than ajv: kube's semantics differ from JSON Schema draft-07 in ways ajv
// needs rewriting for (boolean exclusiveMinimum/Maximum, `nullable`, int-or-string, list types,
// embedded resources, formats named and parsed as Go's strfmt does, unknown formats ignored), and
// mapping ajv's errors back onto kube's paths and messages would cost as much as the walk itself.
// The walk runs on every write, so it reads each schema node once (schema-node.ts), asks cheap
// yes/no questions first and spells a field path and a message only for a value that fails.
import type { StatusCause } from '../../../core/errors/index.ts';
import type { JSONSchemaProps } from '../crd-types.ts';
import { validateObjectMeta } from '../object-meta.ts';
import {
  fieldForbidden,
  fieldInvalid,
  fieldRequired,
  fieldTooMany,
  fieldTypeInvalid,
} from './field-errors.ts';
import { FieldPath } from './field-path.ts';
import type { JsonObject } from './json.ts';
import { child, forInIsOwn, hasOwn, isObject, jsonType } from './json.ts';
import { OBJECT_META_FIELDS, TYPE_META_FIELDS } from './meta-fields.ts';
import type { SchemaNode } from './schema-node.ts';
import { schemaNode } from './schema-node.ts';
import { checkJunctors } from './validate-junctors.ts';
import { checkListType } from './validate-lists.ts';
import { checkScalar, checkType, scalarPasses, subject, typePasses } from './validate-values.ts';

/** ValidateOptions tunes validate. */
export interface ValidateOptions {
  /** path prefixes every cause's field (e.g. the schema path of a default being checked). */
  readonly path?: string;
  /**
   * unknownFields 'reject' also reports (FieldValueForbidden) the fields prune would remove.
   * Default 'ignore', as kube: the pipeline prunes first and reports pruned fields itself.
   */
  readonly unknownFields?: 'ignore' | 'reject';
}

/**
 * Level says whether an object is a resource: the root, or an embedded resource (whose
 * apiVersion and kind are required and whose metadata is validated as ObjectMeta).
 */
export type Level = 'root' | 'embedded' | 'plain';

/**
 * ValidateWalk is one validation: where it is, what it found, whether unknown fields are
 * reported. (`lenient`, passed along, mirrors prune: below a preserve-unknown-fields array,
 * items keep unknown keys though their own schema does not preserve them.)
 */
export interface ValidateWalk {
  readonly path: FieldPath;
  readonly out: StatusCause[];
  readonly reject: boolean;
}

/** levelOf is the level of a value under n. */
export const levelOf = (n: SchemaNode): Level => (n.embedded ? 'embedded' : 'plain');

// Where is a value's position: its level, and whether it is lenient (mirroring prune: below a
// preserve-unknown-fields array, items keep unknown keys though their own schema does not
// preserve them). The few combinations are constants, so a walk allocates none.
interface Where {
  readonly level: Level;
  readonly lenient: boolean;
}

const WHERE: Readonly<Record<Level, readonly [Where, Where]>> = {
  root: [
    { level: 'root', lenient: false },
    { level: 'root', lenient: true },
  ],
  embedded: [
    { level: 'embedded', lenient: false },
    { level: 'embedded', lenient: true },
  ],
  plain: [
    { level: 'plain', lenient: false },
    { level: 'plain', lenient: true },
  ],
};

const whereOf = (level: Level, lenient = false): Where => WHERE[level][lenient ? 1 : 0];

/** validateNode validates v under n at w's path (a whole subtree; see write-pass.ts). */
export function validateNode(w: ValidateWalk, v: unknown, n: SchemaNode, level: Level): void {
  node(w, v, n, whereOf(level));
}

function node(w: ValidateWalk, v: unknown, n: SchemaNode, at: Where): void {
  if (!typePasses(v, n)) {
    checkType(v, n.s, w.path.text(), w.out);
    return;
  }
  if (v === null) return;
  if (!scalarPasses(v, n)) checkScalar(v, n.s, w.path.text(), w.out);
  if (Array.isArray(v)) arrayNode(w, v, n, at.lenient);
  else if (isObject(v)) objectNode(w, v, n, at);
  if (n.junctors) checkJunctors(v, n.s, w.path.text(), { sub: validateAlternative, out: w.out });
}

/**
 * validateAlternative validates v against one junctor entry: value checks only, no
 * unknown-field or resource checks (the structure lives outside junctors).
 */
export function validateAlternative(v: unknown, s: JSONSchemaProps, path: string): StatusCause[] {
  const w: ValidateWalk = { path: new FieldPath(path), out: [], reject: false };
  node(w, v, schemaNode(s), whereOf('plain', true));
  return w.out;
}

function arrayNode(w: ValidateWalk, v: unknown[], n: SchemaNode, lenient: boolean): void {
  const items = n.items;
  if (items !== undefined) {
    const at = whereOf(levelOf(items), lenient || n.preserve);
    for (let i = 0; i < v.length; i++) {
      w.path.push(i);
      node(w, v[i], items, at);
      w.path.pop();
    }
  }
  arrayTail(w, v, n);
}

/** arrayTail reports a list's length and uniqueness failures (after its items'). */
export function arrayTail(w: ValidateWalk, v: unknown[], n: SchemaNode): void {
  const { s } = n;
  if (s.minItems !== undefined && v.length < s.minItems) {
    const path = w.path.text();
    w.out.push(
      fieldInvalid(path, v.length, `${subject(path)} should have at least ${s.minItems} items`),
    );
  }
  if (s.maxItems !== undefined && v.length > s.maxItems)
    w.out.push(fieldTooMany(w.path.text(), v.length, s.maxItems));
  if (n.listChecks && v.length > 0) checkListType(v, s, w.path.text(), w.out);
}

/** objectBounds reports an object's member count outside min/maxProperties. */
export function objectBounds(w: ValidateWalk, count: number, s: JSONSchemaProps): void {
  if (s.maxProperties !== undefined && count > s.maxProperties)
    w.out.push(fieldTooMany(w.path.text(), count, s.maxProperties));
  if (s.minProperties !== undefined && count < s.minProperties) {
    const path = w.path.text();
    const detail = `${subject(path)} should have at least ${s.minProperties} properties`;
    w.out.push(fieldInvalid(path, count, detail));
  }
}

function objectNode(w: ValidateWalk, v: JsonObject, n: SchemaNode, at: Where): void {
  const values = n.values;
  // the members need a look only when the schema knows some, or unknown ones are reported
  if (n.objectBounds || n.props.size > 0 || (values !== null && values !== undefined) || w.reject)
    members(w, v, n, at);
  requiredMembers(w, v, n);
  if (at.level === 'embedded') checkEmbedded(v, w.path.text(), w.out);
}

/** requiredMembers reports the required members v lacks (after its members' causes). */
export function requiredMembers(w: ValidateWalk, v: JsonObject, n: SchemaNode): void {
  for (const r of n.required) if (!hasOwn(v, r)) w.out.push(fieldRequired(w.path.childText(r)));
}

function members(w: ValidateWalk, v: JsonObject, n: SchemaNode, at: Where): void {
  if (n.objectBounds) objectBounds(w, Object.keys(v).length, n.s);
  const keepsUnknown = at.lenient || n.preserve || n.values !== null;
  const resource = at.level !== 'plain';
  // for...in, filtered to own keys unless it visits nothing else anyway: Object.keys without
  // the array
  const own = forInIsOwn(v);
  for (const k in v) {
    if (!own && !Object.hasOwn(v, k)) continue;
    const field = n.props.get(k) ?? n.values;
    if (field !== undefined && field !== null) {
      w.path.push(k);
      node(w, v[k], field, whereOf(levelOf(field)));
      w.path.pop();
    } else if (w.reject && !keepsUnknown && !(resource && TYPE_META_FIELDS.has(k))) {
      w.out.push(fieldForbidden(w.path.childText(k), 'unknown field'));
    }
    if (resource && k === 'metadata' && w.reject)
      rejectUnknownMeta(v[k], w.path.childText(k), w.out);
  }
}

function rejectUnknownMeta(meta: unknown, path: string, out: StatusCause[]): void {
  if (!isObject(meta)) return;
  for (const k of Object.keys(meta)) {
    if (!OBJECT_META_FIELDS.has(k)) out.push(fieldForbidden(child(path, k), 'unknown field'));
  }
}

// checkEmbedded requires apiVersion and kind of an embedded resource and validates its
// metadata as ObjectMeta, a missing name allowed (kube's objectmeta.Validate).
function checkEmbedded(v: JsonObject, path: string, out: StatusCause[]): void {
  for (const k of ['apiVersion', 'kind']) {
    const at = child(path, k);
    const x = v[k];
    if (!hasOwn(v, k)) out.push(fieldRequired(at, 'must not be empty'));
    else if (typeof x !== 'string') out.push(fieldInvalid(at, x, 'must be a string'));
    else if (x === '') out.push(fieldInvalid(at, x, 'must not be empty'));
    else if (k === 'apiVersion' && x.split('/').length > 2) {
      out.push(fieldInvalid(at, x, `unexpected GroupVersion string: ${x}`));
    }
  }
  if (!hasOwn(v, 'metadata')) return;
  const at = child(path, 'metadata');
  const meta = v['metadata'];
  if (!isObject(meta)) {
    const got = jsonType(meta);
    out.push(fieldTypeInvalid(at, got, `${subject(at)} must be of type object: "${got}"`));
    return;
  }
  const name = typeof meta['name'] === 'string' && meta['name'] !== '' ? meta['name'] : 'fakename';
  const namespaced = typeof meta['namespace'] === 'string' && meta['namespace'] !== '';
  out.push(...validateObjectMeta({ ...meta, name }, { namespaced, isCreate: true, path: at }));
}

/**
 * validate checks obj against schema and returns every failure as a cause with its field path
 * (`spec.roles[0]`, map keys dotted as kube-openapi does: `spec.limits.cpus`) and kube's wording
 * (`spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"`).
 * Root metadata is not validated here (see validateObjectMeta); embedded resources' is.
 */
export function validate(
  obj: unknown,
  schema: JSONSchemaProps,
  opts: ValidateOptions = {},
): StatusCause[] {
  const w: ValidateWalk = {
    path: new FieldPath(opts.path ?? ''),
    out: [],
    reject: opts.unknownFields === 'reject',
  };
  node(w, obj, schemaNode(schema), whereOf('root'));
  return w.out;
}
