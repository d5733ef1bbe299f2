// Is a CRD version's openAPIV3Schema structural? The rules of apiextensions'
// `ValidateStructural` and v1 schema validation, reported with kube's schema paths
// (`<prefix>.properties[spec].type: Required value: ...`).
import type { StatusCause } from '../../../core/errors/index.ts';
import type { JSONSchemaProps } from '../crd-types.ts';
import { fieldForbidden, fieldInvalid, fieldRequired } from './field-errors.ts';
import type { JsonObject } from './json.ts';
import { child, isObject, propPath } from './json.ts';
import { TYPE_META_FIELDS } from './meta-fields.ts';
import { checkDefaults } from './structural-defaults.ts';
import { checkJunctors } from './structural-junctors.ts';
import { checkExtensions, checkKeywords } from './structural-keywords.ts';

type Level = 'root' | 'item' | 'field';

interface Where {
  readonly level: Level;
  /** resource: the node is the root or an embedded resource (apiVersion/kind/metadata implied). */
  readonly resource: boolean;
  /** topMeta names the top-level apiVersion/kind/metadata property this node is under. */
  readonly topMeta?: string;
}

const EMPTY_TYPE: Readonly<Record<Level, string>> = {
  root: 'must not be empty at the root',
  item: 'must not be empty for specified array items',
  field: 'must not be empty for specified object fields',
};

function checkType(s: JsonObject, path: string, where: Where, out: StatusCause[]): void {
  const type = s['type'];
  const typePath = child(path, 'type');
  if (s['x-kubernetes-embedded-resource'] === true && type !== 'object') {
    const detail = 'must be object if x-kubernetes-embedded-resource is true';
    out.push(
      type === undefined ? fieldRequired(typePath, detail) : fieldInvalid(typePath, type, detail),
    );
  } else if (
    (type === undefined || type === '') &&
    s['x-kubernetes-int-or-string'] !== true &&
    s['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    out.push(fieldRequired(typePath, EMPTY_TYPE[where.level]));
  }
  if (where.level === 'root' && type !== undefined && type !== 'object') {
    out.push(fieldInvalid(typePath, type, 'must be object at the root'));
  }
}

// checkResourceMeta limits what a resource's schema may say about apiVersion, kind and metadata:
// they are strings and ObjectMeta, of which only name and generateName may be restricted.
function checkResourceMeta(props: JsonObject, path: string, out: StatusCause[]): void {
  for (const k of ['apiVersion', 'kind']) {
    const p = props[k];
    if (isObject(p) && p['type'] !== 'string') {
      out.push(fieldInvalid(child(propPath(path, k), 'type'), p['type'] ?? '', 'must be string'));
    }
  }
  const meta = props['metadata'];
  if (!isObject(meta)) return;
  const metaProps = isObject(meta['properties']) ? Object.keys(meta['properties']) : [];
  const onlyNames = metaProps.every(k => k === 'name' || k === 'generateName');
  const onlyTypeAndProps = Object.keys(meta).every(k => k === 'type' || k === 'properties');
  if (!onlyNames || !onlyTypeAndProps) {
    const detail =
      'must not specify anything other than name and generateName, but metadata is implicitly specified';
    out.push(fieldForbidden(propPath(path, 'metadata'), detail));
  }
}

function checkMaps(s: JsonObject, path: string, where: Where, out: StatusCause[]): void {
  const ap = s['additionalProperties'];
  if (ap === undefined) return;
  const apPath = child(path, 'additionalProperties');
  if (where.resource) out.push(fieldForbidden(apPath, 'must not be used at the root'));
  const hasProps = isObject(s['properties']) && Object.keys(s['properties']).length > 0;
  if (hasProps && ap !== true) {
    out.push(fieldForbidden(apPath, 'additionalProperties and properties are mutual exclusive'));
  }
  if (ap === false) out.push(fieldForbidden(apPath, 'additionalProperties cannot be set to false'));
  if (isObject(ap))
    node(
      ap,
      apPath,
      { level: 'field', resource: ap['x-kubernetes-embedded-resource'] === true },
      out,
    );
}

function node(s: unknown, path: string, where: Where, out: StatusCause[]): void {
  if (!isObject(s)) {
    out.push(fieldInvalid(path, s, 'must be a schema object'));
    return;
  }
  checkKeywords(s, path, out);
  checkExtensions(s, path, out);
  checkType(s, path, where, out);
  if (where.topMeta !== undefined && s['default'] !== undefined) {
    out.push(
      fieldForbidden(child(path, 'default'), `must not be set in top-level ${where.topMeta}`),
    );
  }
  const props = isObject(s['properties']) ? s['properties'] : undefined;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (embedded && s['x-kubernetes-preserve-unknown-fields'] !== true && props === undefined) {
    const detail =
      'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields';
    out.push(fieldRequired(child(path, 'properties'), detail));
  }
  if (s['type'] === 'array' && s['items'] === undefined) {
    out.push(fieldRequired(child(path, 'items'), 'must be specified'));
  }
  checkMaps(s, path, where, out);
  if (where.resource && props !== undefined) checkResourceMeta(props, path, out);
  const items = s['items'];
  if (isObject(items)) {
    node(
      items,
      child(path, 'items'),
      { level: 'item', resource: items['x-kubernetes-embedded-resource'] === true },
      out,
    );
  }
  for (const [k, p] of Object.entries(props ?? {})) {
    const topMeta = where.level === 'root' && TYPE_META_FIELDS.has(k) ? k : where.topMeta;
    const resource = isObject(p) && p['x-kubernetes-embedded-resource'] === true;
    node(
      p,
      propPath(path, k),
      { level: 'field', resource, ...(topMeta === undefined ? {} : { topMeta }) },
      out,
    );
  }
  checkJunctors(s, path, out);
}

/**
 * checkStructural tells why schema is not a structural schema kube would accept for a CRD
 * version (empty when it is one), with fields under fieldPrefix (e.g.
 * `spec.versions[0].schema.openAPIV3Schema`): types specified everywhere, junctors only
 * validating, metadata restricted to name/generateName, no unsupported keywords, consistent
 * x-kubernetes-* extensions, and defaults that are pruned-clean and valid. CEL rules
 * (x-kubernetes-validations) are rejected: not supported yet.
 */
export function checkStructural(schema: JSONSchemaProps, fieldPrefix: string): StatusCause[] {
  const out: StatusCause[] = [];
  node(schema, fieldPrefix, { level: 'root', resource: true }, out);
  // Defaults are checked by pruning and validating them, which presumes a sound schema.
  if (out.length === 0) checkDefaults(schema, fieldPrefix, out);
  return out;
}
