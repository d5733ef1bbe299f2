// REST paths of the Kubernetes API, as kube-apiserver lays them out (core group under /api).
import type { KubeObject } from '../types/meta.ts';
import type { Kind } from './kinds.ts';

/** ObjectKey names one object; `namespace` is required for namespaced kinds only. */
export interface ObjectKey {
  readonly namespace?: string;
  readonly name: string;
}

/** QueryValue is a query parameter value; undefined parameters are left out. */
export type QueryValue = string | number | boolean | undefined;

function groupRoot(kind: Kind<KubeObject>): string {
  return kind.group === '' ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
}

function checkScope(kind: Kind<KubeObject>, namespace: string | undefined): void {
  if (!kind.namespaced && namespace !== undefined && namespace !== '')
    throw new TypeError(`${kind.plural} are cluster-scoped; got namespace "${namespace}"`);
}

/**
 * collectionPath is the list/create/watch path. For a namespaced kind without a namespace it is
 * the all-namespaces collection (valid for list and watch only).
 */
export function collectionPath(kind: Kind<KubeObject>, namespace?: string): string {
  checkScope(kind, namespace);
  const ns =
    kind.namespaced && namespace !== undefined && namespace !== ''
      ? `/namespaces/${encodeURIComponent(namespace)}`
      : '';
  return `${groupRoot(kind)}${ns}/${kind.plural}`;
}

/** objectPath is the path of one object, or of its subresource (`status`). */
export function objectPath(kind: Kind<KubeObject>, key: ObjectKey, subresource?: string): string {
  if (kind.namespaced && (key.namespace === undefined || key.namespace === ''))
    throw new TypeError(`${kind.plural} are namespaced; "${key.name}" needs a namespace`);
  if (key.name === '') throw new TypeError(`${kind.plural}: an object name is required`);
  const base = `${collectionPath(kind, key.namespace)}/${encodeURIComponent(key.name)}`;
  return subresource === undefined ? base : `${base}/${subresource}`;
}

/** withQuery appends the defined parameters as a query string. */
export function withQuery(path: string, query: Readonly<Record<string, QueryValue>>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return qs === '' ? path : `${path}?${qs}`;
}

/** keyOf is the ObjectKey of an object (its namespace left out when it has none). */
export function keyOf(obj: KubeObject): ObjectKey {
  const { name, namespace } = obj.metadata;
  return namespace === undefined || namespace === ''
    ? { name: name ?? '' }
    : { namespace, name: name ?? '' };
}
