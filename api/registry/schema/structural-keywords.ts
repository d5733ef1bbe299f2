// Per-node keyword checks of a CRD schema, from apiextensions' v1 validation: keywords kube does
// not support, x-kubernetes-* extension consistency, patterns that compile.
import type { StatusCause } from '../../../core/errors/index.ts';
import { compilePattern } from './compiled.ts';
import { fieldForbidden, fieldInvalid, fieldNotSupported } from './field-errors.ts';
import type { JsonObject } from './json.ts';
import { child, isObject } from './json.ts';
import { checkListType, typeFor } from './structural-lists.ts';

const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const UNSUPPORTED = ['id', 'additionalItems', 'patternProperties', 'definitions', 'dependencies'];

// checkShape rejects containers of the wrong JSON type, so the other checks (and prune,
// default, validate later) can trust them.
function checkShape(s: JsonObject, path: string, out: StatusCause[]): void {
  for (const k of ['properties', 'not']) {
    if (s[k] !== undefined && !isObject(s[k]))
      out.push(fieldInvalid(child(path, k), s[k], 'must be an object'));
  }
  for (const k of ['allOf', 'anyOf', 'oneOf', 'enum', 'required', 'x-kubernetes-list-map-keys']) {
    if (s[k] !== undefined && !Array.isArray(s[k]))
      out.push(fieldInvalid(child(path, k), s[k], 'must be an array'));
  }
  const items = s['items'];
  if (items !== undefined && !isObject(items) && !Array.isArray(items)) {
    out.push(fieldInvalid(child(path, 'items'), items, 'must be an object'));
  }
  const ap = s['additionalProperties'];
  if (ap !== undefined && typeof ap !== 'boolean' && !isObject(ap)) {
    out.push(
      fieldInvalid(child(path, 'additionalProperties'), ap, 'must be a boolean or an object'),
    );
  }
}

function checkUnsupported(s: JsonObject, path: string, out: StatusCause[]): void {
  if (s['$ref'] !== undefined)
    out.push(fieldForbidden(child(path, '$ref'), '$ref is not supported'));
  for (const k of UNSUPPORTED) {
    if (s[k] !== undefined) out.push(fieldForbidden(child(path, k), `${k} is not supported`));
  }
  if (s['uniqueItems'] === true) {
    const why = 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic';
    out.push(fieldForbidden(child(path, 'uniqueItems'), why));
  }
  const t = s['type'];
  if (t === 'null') {
    out.push(
      fieldForbidden(
        child(path, 'type'),
        'type cannot be set to null, use nullable as an alternative',
      ),
    );
  } else if (t !== undefined && (typeof t !== 'string' || !TYPES.includes(t))) {
    out.push(fieldNotSupported(child(path, 'type'), t, TYPES));
  }
  if (Array.isArray(s['items'])) {
    out.push(
      fieldForbidden(child(path, 'items'), 'items must be a schema object and not an array'),
    );
  }
  if (s['x-kubernetes-validations'] !== undefined) {
    const why =
      'CEL validation rules (x-kubernetes-validations) are not supported yet by this server; remove them and enforce the rule in a controller';
    out.push(fieldForbidden(child(path, 'x-kubernetes-validations'), why));
  }
  const pattern = s['pattern'];
  if (typeof pattern === 'string') {
    const re = compilePattern(pattern);
    if (typeof re === 'string') {
      out.push(
        fieldInvalid(
          child(path, 'pattern'),
          pattern,
          `must be a valid regular expression, but isn't: ${re}`,
        ),
      );
    }
  }
}

/** checkKeywords runs the keyword checks that hold in every schema node, junctors included. */
export function checkKeywords(s: JsonObject, path: string, out: StatusCause[]): void {
  checkShape(s, path, out);
  checkUnsupported(s, path, out);
}

/** checkExtensions checks the x-kubernetes-* extensions of a structural (non-junctor) node. */
export function checkExtensions(s: JsonObject, path: string, out: StatusCause[]): void {
  const preserve = s['x-kubernetes-preserve-unknown-fields'];
  if (preserve === false) {
    out.push(
      fieldInvalid(
        child(path, 'x-kubernetes-preserve-unknown-fields'),
        false,
        'must be true or undefined',
      ),
    );
  }
  if (s['x-kubernetes-int-or-string'] === true) {
    for (const k of ['x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource']) {
      if (s[k] === true)
        out.push(
          fieldInvalid(child(path, k), true, 'must be false if x-kubernetes-int-or-string is true'),
        );
    }
  }
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined) {
    typeFor(s, path, { want: 'object', why: 'x-kubernetes-map-type' }, out);
    if (mapType !== 'atomic' && mapType !== 'granular') {
      out.push(
        fieldNotSupported(child(path, 'x-kubernetes-map-type'), mapType, ['atomic', 'granular']),
      );
    }
  }
  checkListType(s, path, out);
}
