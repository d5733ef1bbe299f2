// Validation of a (pruned, defaulted) custom object against its structural schema: every
// failure becomes one cause with its field path and a kube-like message.
//
// Hand-rolled rather than ajv: kube's semantics differ from JSON Schema draft-07 in ways ajv
// needs rewriting for (boolean exclusiveMinimum/Maximum, `nullable`, int-or-string, list types,
// embedded resources, formats named and parsed as Go's strfmt does, unknown formats ignored), and
// mapping ajv's errors back onto kube's paths and messages would cost as much as the walk itself.
// The per-schema costly parts (regexps, enum sets) are compiled once and cached (compiled.ts).
import type { StatusCause } from '../../../../../../core/errors/index.ts';
import type { JSONSchemaProps } from '../../../../../../api/registry/crd-types.ts';
import { validateObjectMeta } from '../../../../../../api/registry/object-meta.ts';
import {
  fieldForbidden,
  fieldInvalid,
  fieldRequired,
  fieldTooMany,
  fieldTypeInvalid,
} from '../../../../../../api/registry/schema/field-errors.ts';
import type { JsonObject } from '../../../../../../api/registry/schema/json.ts';
import {
  child,
  hasOwn,
  index,
  isObject,
  jsonType,
} from '../../../../../../api/registry/schema/json.ts';
import {
  OBJECT_META_FIELDS,
  TYPE_META_FIELDS,
} from '../../../../../../api/registry/schema/meta-fields.ts';
import {
  isEmbeddedResource,
  mapValuesOf,
  preservesUnknown,
  propOf,
} from '../../../../../../api/registry/schema/nodes.ts';
import { checkJunctors } from '../../../../../../api/registry/schema/validate-junctors.ts';
import { checkListType } from '../../../../../../api/registry/schema/validate-lists.ts';
import {
  checkScalar,
  checkType,
  subject,
} from '../../../../../../api/registry/schema/validate-values.ts';

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

// Level says whether an object is a resource: the root, or an embedded resource (whose
// apiVersion and kind are required and whose metadata is validated as ObjectMeta).
type Level = 'root' | 'embedded' | 'plain';

// Where is a value's position. `lenient` mirrors prune: below a preserve-unknown-fields array,
// items keep unknown keys though their own schema does not preserve them.
interface Where {
  readonly path: string;
  readonly level: Level;
  readonly lenient: boolean;
}

interface Walk {
  readonly out: StatusCause[];
  readonly reject: boolean;
}

const at = (path: string, s: JSONSchemaProps, lenient = false): Where => ({
  path,
  level: isEmbeddedResource(s) ? 'embedded' : 'plain',
  lenient,
});

function node(w: Walk, v: unknown, s: JSONSchemaProps, where: Where): void {
  const { path } = where;
  if (!checkType(v, s, path, w.out) || v === null) return;
  checkScalar(v, s, path, w.out);
  if (Array.isArray(v)) arrayNode(w, v, s, where);
  else if (isObject(v)) objectNode(w, v, s, where);
  if (
    s.allOf !== undefined ||
    s.anyOf !== undefined ||
    s.oneOf !== undefined ||
    s.not !== undefined
  ) {
    checkJunctors(v, s, path, { sub: alternative, out: w.out });
  }
}

// alternative validates v against one junctor entry: value checks only, no unknown-field or
// resource checks (the structure lives outside junctors).
function alternative(v: unknown, s: JSONSchemaProps, path: string): StatusCause[] {
  const out: StatusCause[] = [];
  node({ out, reject: false }, v, s, { path, level: 'plain', lenient: true });
  return out;
}

function arrayNode(w: Walk, v: unknown[], s: JSONSchemaProps, where: Where): void {
  const { path } = where;
  const items = s.items;
  if (items !== undefined) {
    const lenient = where.lenient || preservesUnknown(s);
    v.forEach((x: unknown, i) => node(w, x, items, at(index(path, i), items, lenient)));
  }
  if (s.minItems !== undefined && v.length < s.minItems) {
    w.out.push(
      fieldInvalid(path, v.length, `${subject(path)} should have at least ${s.minItems} items`),
    );
  }
  if (s.maxItems !== undefined && v.length > s.maxItems)
    w.out.push(fieldTooMany(path, v.length, s.maxItems));
  checkListType(v, s, path, w.out);
}

function objectNode(w: Walk, v: JsonObject, s: JSONSchemaProps, where: Where): void {
  const { path } = where;
  const keys = Object.keys(v);
  if (s.maxProperties !== undefined && keys.length > s.maxProperties) {
    w.out.push(fieldTooMany(path, keys.length, s.maxProperties));
  }
  if (s.minProperties !== undefined && keys.length < s.minProperties) {
    const detail = `${subject(path)} should have at least ${s.minProperties} properties`;
    w.out.push(fieldInvalid(path, keys.length, detail));
  }
  const values = mapValuesOf(s);
  const keepsUnknown = where.lenient || preservesUnknown(s) || values !== null;
  const resource = where.level !== 'plain';
  for (const k of keys) {
    const fieldPath = child(path, k);
    const prop = propOf(s, k);
    if (prop !== undefined) node(w, v[k], prop, at(fieldPath, prop));
    else if (values !== null && values !== undefined) node(w, v[k], values, at(fieldPath, values));
    else if (w.reject && !keepsUnknown && !(resource && TYPE_META_FIELDS.has(k))) {
      w.out.push(fieldForbidden(fieldPath, 'unknown field'));
    }
    if (resource && k === 'metadata' && w.reject) rejectUnknownMeta(v[k], fieldPath, w.out);
  }
  for (const r of s.required ?? []) if (!hasOwn(v, r)) w.out.push(fieldRequired(child(path, r)));
  if (where.level === 'embedded') checkEmbedded(v, path, w.out);
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
  const w: Walk = { out: [], reject: opts.unknownFields === 'reject' };
  node(w, obj, schema, { path: opts.path ?? '', level: 'root', lenient: false });
  return w.out;
}
