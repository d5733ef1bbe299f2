// Validation of an object's metadata, as kube's ValidateObjectMeta does it for custom resources:
// names, namespace, labels, annotations, finalizers, ownerReferences. The input is the decoded
// request body, so types are checked too rather than trusted.
import type { StatusCause } from '../../core/errors/index.ts';
import {
  fieldForbidden,
  fieldInvalid,
  fieldRequired,
  fieldTooLongBytes,
  fieldTypeInvalid,
} from './schema/field-errors.ts';
import type { JsonObject } from './schema/json.ts';
import { child, index, isObject, jsonType } from './schema/json.ts';
import {
  dnsLabelErrors,
  dnsSubdomainErrors,
  labelValueErrors,
  pathSegmentErrors,
  qualifiedNameErrors,
} from './schema/names.ts';

export { isDnsLabel, isDnsSubdomain } from './schema/names.ts';

/** ObjectMetaOptions says what kind of object and write the metadata belongs to. */
export interface ObjectMetaOptions {
  /** namespaced: the namespace must be set (true) or absent (false). */
  readonly namespaced: boolean;
  /** isCreate: a generateName may stand in for the name. */
  readonly isCreate: boolean;
  /** path is the metadata's field path; default `metadata`. */
  readonly path?: string;
}

/** TOTAL_ANNOTATION_SIZE is kube's limit on the summed bytes of annotation keys and values. */
export const TOTAL_ANNOTATION_SIZE = 256 * 1024;

type Expect = 'string' | 'integer' | 'object' | 'array';

const FIELD_TYPES: readonly (readonly [string, Expect])[] = [
  ['name', 'string'],
  ['generateName', 'string'],
  ['namespace', 'string'],
  ['uid', 'string'],
  ['resourceVersion', 'string'],
  ['creationTimestamp', 'string'],
  ['deletionTimestamp', 'string'],
  ['generation', 'integer'],
  ['deletionGracePeriodSeconds', 'integer'],
  ['labels', 'object'],
  ['annotations', 'object'],
  ['finalizers', 'array'],
  ['ownerReferences', 'array'],
  ['managedFields', 'array'],
];

const hasType = (v: unknown, t: Expect): boolean =>
  t === 'integer'
    ? Number.isInteger(v)
    : t === 'object'
      ? isObject(v)
      : t === 'array'
        ? Array.isArray(v)
        : typeof v === t;

function typeError(path: string, v: unknown, want: string): StatusCause {
  const got = jsonType(v);
  return fieldTypeInvalid(path, got, `${path} in body must be of type ${want}: "${got}"`);
}

// wellTyped reports metadata fields of the wrong JSON type and returns the fields that may be
// checked further (the wrongly typed ones are left out). null counts as absent, as in kube.
function wellTyped(meta: JsonObject, path: string, out: StatusCause[]): JsonObject {
  const ok: JsonObject = {};
  for (const [k, t] of FIELD_TYPES) {
    const v = meta[k];
    if (v === undefined || v === null) continue;
    if (hasType(v, t)) ok[k] = v;
    else out.push(typeError(child(path, k), v, t));
  }
  return ok;
}

function checkNames(
  meta: JsonObject,
  path: string,
  opts: ObjectMetaOptions,
  out: StatusCause[],
): void {
  const name = typeof meta['name'] === 'string' ? meta['name'] : '';
  const generateName = typeof meta['generateName'] === 'string' ? meta['generateName'] : '';
  if (name === '' && (generateName === '' || !opts.isCreate)) {
    out.push(fieldRequired(child(path, 'name'), 'name or generateName is required'));
  }
  if (name !== '') {
    // A name is also a URL path segment; when it is not one, that says more than the DNS rule.
    const segment = pathSegmentErrors(name, false);
    for (const m of segment.length > 0 ? segment : dnsSubdomainErrors(name)) {
      out.push(fieldInvalid(child(path, 'name'), name, m));
    }
  }
  if (generateName !== '') {
    // The prefix only has to be a valid start of a name: a trailing '-' is fine.
    const masked = generateName.length > 1 ? generateName.replace(/-$/, 'a') : generateName;
    const segment = pathSegmentErrors(generateName, true);
    for (const m of segment.length > 0 ? segment : dnsSubdomainErrors(masked)) {
      out.push(fieldInvalid(child(path, 'generateName'), generateName, m));
    }
  }
  const ns = typeof meta['namespace'] === 'string' ? meta['namespace'] : '';
  const nsPath = child(path, 'namespace');
  if (opts.namespaced && ns === '') out.push(fieldRequired(nsPath));
  else if (!opts.namespaced && ns !== '')
    out.push(fieldForbidden(nsPath, 'not allowed on this type'));
  else if (ns !== '') for (const m of dnsLabelErrors(ns)) out.push(fieldInvalid(nsPath, ns, m));
  const gen = meta['generation'];
  if (typeof gen === 'number' && gen < 0) {
    out.push(fieldInvalid(child(path, 'generation'), gen, 'must be greater than or equal to 0'));
  }
}

// checkStringMap checks the keys of labels or annotations (qualified names; kube lower-cases
// annotation keys first), that values are strings, label values' syntax, and returns the map's
// size in bytes.
function checkStringMap(
  m: JsonObject,
  path: string,
  kind: 'labels' | 'annotations',
  out: StatusCause[],
): number {
  let bytes = 0;
  for (const [k, v] of Object.entries(m)) {
    for (const msg of qualifiedNameErrors(kind === 'labels' ? k : k.toLowerCase())) {
      out.push(fieldInvalid(path, k, msg));
    }
    if (typeof v !== 'string') {
      out.push(typeError(child(path, k), v, 'string'));
      continue;
    }
    if (kind === 'labels')
      for (const msg of labelValueErrors(v)) out.push(fieldInvalid(path, v, msg));
    bytes += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  return bytes;
}

function checkFinalizers(list: unknown[], path: string, out: StatusCause[]): void {
  list.forEach((f: unknown, i) => {
    const at = index(path, i);
    if (typeof f !== 'string') out.push(typeError(at, f, 'string'));
    else for (const m of qualifiedNameErrors(f)) out.push(fieldInvalid(at, f, m));
  });
}

function checkOwnerReferences(list: unknown[], path: string, out: StatusCause[]): void {
  const controllers: string[] = [];
  list.forEach((ref: unknown, i) => {
    const at = index(path, i);
    if (!isObject(ref)) {
      out.push(typeError(at, ref, 'object'));
      return;
    }
    const str = (k: string): string => (typeof ref[k] === 'string' ? ref[k] : '');
    const apiVersion = str('apiVersion');
    const version = apiVersion.includes('/')
      ? apiVersion.slice(apiVersion.indexOf('/') + 1)
      : apiVersion;
    if (version === '')
      out.push(fieldInvalid(child(at, 'apiVersion'), apiVersion, 'version must not be empty'));
    for (const k of ['kind', 'name', 'uid']) {
      if (str(k) === '') out.push(fieldInvalid(child(at, k), str(k), `${k} must not be empty`));
    }
    if (ref['controller'] === true) controllers.push(`${str('kind')}/${str('name')}`);
  });
  if (controllers.length > 1) {
    const found = controllers.join(' and ');
    const detail = `Only one reference can have Controller set to true. Found "true" in references for ${found}`;
    out.push(fieldInvalid(path, list, detail));
  }
}

/**
 * validateObjectMeta checks decoded metadata (not trusted to be an ObjectMeta) the way kube
 * validates a custom resource's: name a DNS subdomain and path segment (required unless a
 * generateName stands in on create), generateName a valid name prefix, namespace a DNS label
 * present iff namespaced, label keys/values, annotation keys and total size, finalizers as
 * qualified names, ownerReferences complete with at most one controller. List entries are
 * reported with their index (`metadata.finalizers[1]`), where kube names only the list.
 */
export function validateObjectMeta(meta: unknown, opts: ObjectMetaOptions): StatusCause[] {
  const path = opts.path ?? 'metadata';
  if (!isObject(meta)) return [typeError(path, meta, 'object')];
  const out: StatusCause[] = [];
  const m = wellTyped(meta, path, out);
  checkNames(m, path, opts, out);
  const labels = m['labels'];
  if (isObject(labels)) checkStringMap(labels, child(path, 'labels'), 'labels', out);
  const annotations = m['annotations'];
  if (isObject(annotations)) {
    const at = child(path, 'annotations');
    if (checkStringMap(annotations, at, 'annotations', out) > TOTAL_ANNOTATION_SIZE) {
      out.push(fieldTooLongBytes(at, TOTAL_ANNOTATION_SIZE));
    }
  }
  const finalizers = m['finalizers'];
  if (Array.isArray(finalizers)) checkFinalizers(finalizers, child(path, 'finalizers'), out);
  const refs = m['ownerReferences'];
  if (Array.isArray(refs)) checkOwnerReferences(refs, child(path, 'ownerReferences'), out);
  return out;
}
