// Defaulting, as kube does it after pruning (apiextensions `defaulting.Default` preceded by
// `PruneNonNullableNullsWithoutDefaults`).
import type { JSONSchemaProps } from '../crd-types.ts';
import type { JsonObject } from './json.ts';
import { forInIsOwn, isObject, setOwn } from './json.ts';
import type { SchemaNode } from './schema-node.ts';
import { schemaNode } from './schema-node.ts';

/** nonNullableNull tells a null where n does not allow one (n is then a schema). */
export const nonNullableNull = (v: unknown, n: SchemaNode | undefined | null): n is SchemaNode =>
  v === null && n !== undefined && n !== null && !n.nullable;

/** copyOf is a fresh copy of n's default. */
export const copyOf = (n: SchemaNode): unknown => structuredClone(n.s.default);

/**
 * fill sets the defaults of missing fields, gives a non-nullable null the field's default or
 * drops it when there is none, and descends, so the fields of a default just set get their own
 * defaults too. `nulls` is false inside a default just set: kube drops nulls from what the
 * client sent (before defaulting), never from defaults. Array elements that are null stay null
 * unless their schema has a default, as in kube. Each step only touches its own field, so one
 * walk does what kube's two passes (drop nulls everywhere, then default everywhere) do.
 */
export function fill(x: unknown, n: SchemaNode | undefined, nulls: boolean): void {
  if (n === undefined) return;
  if (Array.isArray(x)) {
    const items = n.items;
    for (let i = 0; i < x.length; i++) {
      if (nonNullableNull(x[i], items) && items.defaulted) {
        x[i] = copyOf(items);
        fill(x[i], items, false);
      } else {
        fill(x[i], items, nulls);
      }
    }
    return;
  }
  if (!isObject(x)) return;
  const values = n.values;
  // a schema that knows no member has nothing to default or descend into
  if (n.props.size === 0 && (values === null || values === undefined)) return;
  if (forInIsOwn(x)) for (const k in x) member(x, k, n, nulls);
  else for (const k of Object.keys(x)) member(x, k, n, nulls);
  for (const [k, prop] of n.withDefaults) {
    if (Object.hasOwn(x, k)) continue;
    setOwn(x, k, copyOf(prop));
    fill(x[k], prop, false);
  }
}

// member fills member k of object x (fill's loop body): it may replace or delete k itself, never
// another member, so for...in and a keys array visit the same members.
function member(x: JsonObject, k: string, n: SchemaNode, nulls: boolean): void {
  const prop = n.props.get(k);
  const field = prop ?? n.values;
  if (nonNullableNull(x[k], field)) {
    if (field.defaulted) {
      setDefault(x, k, field, prop !== undefined);
      fill(x[k], field, false);
      return;
    }
    if (nulls) {
      Reflect.deleteProperty(x, k);
      return;
    }
  }
  if (field !== null && field !== undefined) fill(x[k], field, nulls);
}

/**
 * setDefault replaces a field's null by its default: a property as an own data property (even
 * `__proto__`), a map value by plain assignment, as kube's two code paths do.
 */
export function setDefault(x: JsonObject, k: string, field: SchemaNode, isProp: boolean): void {
  if (isProp) setOwn(x, k, copyOf(field));
  else x[k] = copyOf(field);
}

/**
 * applyDefaults fills in, in place, the schema's `default` for every missing property whose
 * parent object exists (deep: through properties, items and additionalProperties, and into
 * defaults just set). A null in a non-nullable field takes the field's default, or is removed
 * when there is none. Run it after prune and before validate; the caller passes its own copy.
 */
export function applyDefaults(obj: unknown, schema: JSONSchemaProps): void {
  fill(obj, schemaNode(schema), true);
}
