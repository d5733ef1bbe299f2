import type { IKeyValue } from 'etcd3';
import type { KubeObject } from '../../core/types/meta.ts';
import type { Stored } from './types.ts';

/**
 * encodeObject renders an object as stored in etcd: JSON without metadata.resourceVersion, which
 * etcd already tracks as the key's mod_revision (kube-apiserver clears it the same way).
 */
export function encodeObject(object: KubeObject): string {
  const meta: unknown = object.metadata;
  // a create's metadata has none (and JSON leaves out an undefined member): no copies needed
  if (
    typeof meta === 'object' &&
    meta !== null &&
    Object.getPrototypeOf(meta) === Object.prototype &&
    (meta as { resourceVersion?: unknown }).resourceVersion === undefined
  )
    return JSON.stringify(object);
  const metadata = { ...object.metadata };
  delete metadata.resourceVersion;
  return JSON.stringify({ ...object, metadata });
}

/** withResourceVersion copies an object (and its metadata) with resourceVersion set to rv. */
export function withResourceVersion(object: KubeObject, rv: string): KubeObject {
  return { ...object, metadata: { ...object.metadata, resourceVersion: rv } };
}

/**
 * decodeKv parses a stored value and fills metadata.resourceVersion from mod_revision. A value
 * that is not an object's JSON (a foreign key under our prefix) gives undefined: callers skip
 * and log it rather than fail a whole list or watch.
 */
export function decodeKv(kv: IKeyValue): Stored | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(kv.value.toString());
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const object = parsed as KubeObject;
  // a fresh parse that nobody else holds, so setting the field in place is safe
  if (typeof object.metadata !== 'object' || object.metadata === null) object.metadata = {};
  object.metadata.resourceVersion = kv.mod_revision;
  return { key: kv.key.toString(), object, rv: kv.mod_revision };
}
