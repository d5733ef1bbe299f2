// Structural rules for x-kubernetes-list-type and x-kubernetes-list-map-keys (apiextensions v1
// validation): sets and maps of lists need items they can compare and keys that always exist.
import type { StatusCause } from '../../../core/errors/index.ts';
import { fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired } from './field-errors.ts';
import type { JsonObject } from './json.ts';
import { child, isObject, propPath } from './json.ts';

/** typeFor reports that `type` must be `need.want` because of extension `need.why`. */
export function typeFor(
  s: JsonObject,
  path: string,
  need: { want: string; why: string },
  out: StatusCause[],
): void {
  const { want, why } = need;
  if (s['type'] === want) return;
  const detail = `must be ${want} if ${why} is specified`;
  if (s['type'] === undefined) out.push(fieldRequired(child(path, 'type'), detail));
  else out.push(fieldInvalid(child(path, 'type'), s['type'], detail));
}

function checkListMapKeys(s: JsonObject, path: string, out: StatusCause[]): void {
  const keys = Array.isArray(s['x-kubernetes-list-map-keys'])
    ? (s['x-kubernetes-list-map-keys'] as unknown[])
    : [];
  const keysPath = child(path, 'x-kubernetes-list-map-keys');
  if (keys.length === 0)
    out.push(fieldRequired(keysPath, 'must not be empty if x-kubernetes-list-type is map'));
  const items = s['items'];
  if (!isObject(items)) {
    out.push(
      fieldRequired(child(path, 'items'), 'must have a schema if x-kubernetes-list-type is map'),
    );
    return;
  }
  const itemsPath = child(path, 'items');
  if (items['type'] !== 'object') {
    const detail = "must be object if parent array's x-kubernetes-list-type is map";
    out.push(fieldInvalid(child(itemsPath, 'type'), items['type'] ?? '', detail));
    return;
  }
  const props = isObject(items['properties']) ? items['properties'] : {};
  const required = Array.isArray(items['required']) ? (items['required'] as unknown[]) : [];
  const seen = new Set<unknown>();
  for (const k of keys) {
    if (seen.has(k)) out.push(fieldInvalid(keysPath, keys, 'must not contain duplicate entries'));
    seen.add(k);
    const prop = typeof k === 'string' && Object.hasOwn(props, k) ? props[k] : undefined;
    if (!isObject(prop)) {
      out.push(fieldInvalid(keysPath, keys, 'entries must all be names of item properties'));
      continue;
    }
    const at = propPath(itemsPath, k as string);
    if (prop['type'] === 'array' || prop['type'] === 'object') {
      const detail = "must be a scalar type if parent array's x-kubernetes-list-type is map";
      out.push(fieldInvalid(child(at, 'type'), prop['type'], detail));
    }
    if (!required.includes(k) && (prop['default'] === undefined || prop['default'] === null)) {
      const detail =
        'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property';
      out.push(fieldRequired(child(at, 'default'), detail));
    }
    if (prop['nullable'] === true) {
      const detail = 'this property is in x-kubernetes-list-map-keys, so it cannot be nullable';
      out.push(fieldForbidden(child(at, 'nullable'), detail));
    }
  }
}

/** checkListType checks x-kubernetes-list-type and -list-map-keys against the node's items. */
export function checkListType(s: JsonObject, path: string, out: StatusCause[]): void {
  const listType = s['x-kubernetes-list-type'];
  const hasKeys =
    Array.isArray(s['x-kubernetes-list-map-keys']) && s['x-kubernetes-list-map-keys'].length > 0;
  if (hasKeys && listType !== 'map') {
    const detail = 'must be map if x-kubernetes-list-map-keys is non-empty';
    const at = child(path, 'x-kubernetes-list-type');
    out.push(
      listType === undefined ? fieldRequired(at, detail) : fieldInvalid(at, listType, detail),
    );
  }
  if (listType === undefined) return;
  typeFor(s, path, { want: 'array', why: 'x-kubernetes-list-type' }, out);
  if (listType !== 'atomic' && listType !== 'set' && listType !== 'map') {
    out.push(
      fieldNotSupported(child(path, 'x-kubernetes-list-type'), listType, ['atomic', 'set', 'map']),
    );
    return;
  }
  const items = s['items'];
  if ((listType === 'set' || listType === 'map') && isObject(items) && items['nullable'] === true) {
    const detail = `cannot be nullable when x-kubernetes-list-type is ${listType}`;
    out.push(fieldForbidden(child(child(path, 'items'), 'nullable'), detail));
  }
  if (listType === 'map') checkListMapKeys(s, path, out);
  if (listType === 'set' && isObject(items)) {
    // Set items are compared whole, so they must merge atomically.
    const detail = 'must be atomic as item of a list with x-kubernetes-list-type=set';
    const itemsPath = child(path, 'items');
    if (items['type'] === 'object' && items['x-kubernetes-map-type'] !== 'atomic') {
      out.push(
        fieldInvalid(
          child(itemsPath, 'x-kubernetes-map-type'),
          items['x-kubernetes-map-type'] ?? '',
          detail,
        ),
      );
    }
    const inner = items['x-kubernetes-list-type'];
    if (items['type'] === 'array' && inner !== undefined && inner !== 'atomic') {
      out.push(fieldInvalid(child(itemsPath, 'x-kubernetes-list-type'), inner, detail));
    }
  }
}
