// A CRD schema's defaults must themselves be pruned-clean and valid (apiextensions
// `defaulting.ValidateDefaults`); otherwise defaulting would write fields that pruning drops or
// validation rejects.
import type { StatusCause } from '../../../core/errors/index.ts';
import type { JSONSchemaProps } from '../crd-types.ts';
import { fieldInvalid } from './field-errors.ts';
import { child, isObject, propPath } from './json.ts';
import { hasDefault, isEmbeddedResource } from './nodes.ts';
import { pruneValue } from './prune.ts';
import { validate } from './validate.ts';

function checkDefault(s: JSONSchemaProps, path: string, out: StatusCause[]): void {
  if (!hasDefault(s)) return;
  const at = child(path, 'default');
  const copy = structuredClone(s.default);
  if (pruneValue(copy, s, isEmbeddedResource(s)).length > 0) {
    out.push(fieldInvalid(at, s.default, 'must not have unknown fields'));
    return;
  }
  out.push(...validate(s.default, s, { path: at }));
}

/** checkDefaults checks every default in the structural nodes of s (at path). */
export function checkDefaults(s: JSONSchemaProps, path: string, out: StatusCause[]): void {
  checkDefault(s, path, out);
  if (isObject(s.items)) checkDefaults(s.items, child(path, 'items'), out);
  if (isObject(s.additionalProperties)) {
    checkDefaults(s.additionalProperties, child(path, 'additionalProperties'), out);
  }
  for (const [k, p] of Object.entries(s.properties ?? {})) checkDefaults(p, propPath(path, k), out);
}
