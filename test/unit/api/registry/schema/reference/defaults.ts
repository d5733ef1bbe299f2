// Defaulting, as kube does it after pruning (apiextensions `defaulting.Default` preceded by
// `PruneNonNullableNullsWithoutDefaults`).
import type { JSONSchemaProps } from '../../../../../../api/registry/crd-types.ts';
import { isObject, setOwn } from '../../../../../../api/registry/schema/json.ts';
import { hasDefault, mapValuesOf, propOf } from '../../../../../../api/registry/schema/nodes.ts';

type Schema = JSONSchemaProps | undefined;

const nonNullableNull = (v: unknown, s: Schema): s is JSONSchemaProps =>
  v === null && s !== undefined && s.nullable !== true;

// dropNulls removes object fields holding null where the schema says not nullable and has no
// default to put there instead. Array elements are left alone, as in kube.
function dropNulls(x: unknown, s: Schema): void {
  if (Array.isArray(x)) {
    for (const v of x) dropNulls(v, s?.items);
    return;
  }
  if (!isObject(x)) return;
  const values = mapValuesOf(s);
  for (const k of Object.keys(x)) {
    const field = propOf(s, k) ?? values ?? undefined;
    if (nonNullableNull(x[k], field) && !hasDefault(field)) Reflect.deleteProperty(x, k);
    else dropNulls(x[k], field);
  }
}

// fill sets the defaults of missing (or non-nullable null) fields, then descends, so the fields
// of a default that was just set get their own defaults too.
function fill(x: unknown, s: Schema): void {
  if (s === undefined) return;
  if (Array.isArray(x)) {
    const items = s.items;
    x.forEach((v: unknown, i) => {
      if (nonNullableNull(v, items) && hasDefault(items)) x[i] = structuredClone(items.default);
      fill(x[i], items);
    });
    return;
  }
  if (!isObject(x)) return;
  for (const [k, prop] of Object.entries(s.properties ?? {})) {
    if (!hasDefault(prop)) continue;
    if (!Object.hasOwn(x, k) || nonNullableNull(x[k], prop))
      setOwn(x, k, structuredClone(prop.default));
  }
  const values = mapValuesOf(s);
  for (const k of Object.keys(x)) {
    const prop = propOf(s, k);
    if (prop !== undefined) {
      fill(x[k], prop);
    } else if (values !== null && values !== undefined) {
      if (nonNullableNull(x[k], values) && hasDefault(values))
        x[k] = structuredClone(values.default);
      fill(x[k], values);
    }
  }
}

/**
 * applyDefaults fills in, in place, the schema's `default` for every missing property whose
 * parent object exists (deep: through properties, items and additionalProperties, and into
 * defaults just set). A null in a non-nullable field takes the field's default, or is removed
 * when there is none. Run it after prune and before validate; the caller passes its own copy.
 */
export function applyDefaults(obj: unknown, schema: JSONSchemaProps): void {
  dropNulls(obj, schema);
  fill(obj, schema);
}
