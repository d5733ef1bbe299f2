// Uniqueness checks of arrays: `x-kubernetes-list-type: set` (whole items unique) and `map`
// (unique `x-kubernetes-list-map-keys` tuples), after kube's `listtype` validation, plus the
// plain JSON-schema `uniqueItems` for schemas that were not checked as structural.
import type { StatusCause } from '../../../core/errors/index.ts';
import type { JSONSchemaProps } from '../crd-types.ts';
import { fieldDuplicate, fieldInvalid } from './field-errors.ts';
import type { JsonObject } from './json.ts';
import { canonicalJson, hasOwn, index, isObject } from './json.ts';
import { subject } from './validate-values.ts';

// repeats returns the index of the second occurrence of every repeated key (kube reports each
// duplicate value once, at its first repetition).
function repeats(keys: readonly string[]): number[] {
  const seen = new Map<string, number>();
  const out: number[] = [];
  keys.forEach((k, i) => {
    const times = seen.get(k) ?? 0;
    if (times === 1) out.push(i);
    seen.set(k, times + 1);
  });
  return out;
}

function checkListMap(list: unknown[], s: JSONSchemaProps, path: string, out: StatusCause[]): void {
  const bad = list.findIndex(x => x !== null && !isObject(x));
  if (bad >= 0) {
    out.push(
      fieldInvalid(index(path, bad), list[bad], 'must be an object for an array of list-type map'),
    );
    return;
  }
  const keyFields = s['x-kubernetes-list-map-keys'] ?? [];
  // An item's key is the object of its key fields that are present; a missing one is simply
  // absent from it, and a null item has the empty key, as in kube.
  const keys = list.map(x => {
    const key: JsonObject = {};
    if (isObject(x)) for (const f of keyFields) if (hasOwn(x, f)) key[f] = x[f];
    return key;
  });
  for (const i of repeats(keys.map(canonicalJson)))
    out.push(fieldDuplicate(index(path, i), keys[i]));
}

/** checkListType reports duplicate items of a set, duplicate keys of a list-map, and uniqueItems. */
export function checkListType(
  list: unknown[],
  s: JSONSchemaProps,
  path: string,
  out: StatusCause[],
): void {
  if (list.length === 0) return;
  const type = s['x-kubernetes-list-type'];
  if (type === 'set') {
    for (const i of repeats(list.map(canonicalJson)))
      out.push(fieldDuplicate(index(path, i), list[i]));
  } else if (type === 'map') {
    checkListMap(list, s, path, out);
  }
  if (s.uniqueItems === true && repeats(list.map(canonicalJson)).length > 0) {
    out.push(fieldInvalid(path, list, `${subject(path)} shouldn't contain duplicates`));
  }
}
