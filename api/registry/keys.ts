import type { ResourceInfo } from './resource-info.ts';
import { storagePrefix } from './resource-info.ts';

/** ObjectKeyParts locates one object of a resource. */
export interface ObjectKeyParts {
  readonly root: string;
  readonly namespace?: string | undefined;
  readonly name: string;
}

/** objectKey is the etcd key of one object: `<root>/<group>/<plural>/[<ns>/]<name>`. */
export function objectKey(info: ResourceInfo, parts: ObjectKeyParts): string {
  const prefix = storagePrefix(info, parts.root);
  return info.namespaced
    ? `${prefix}${parts.namespace ?? ''}/${parts.name}`
    : `${prefix}${parts.name}`;
}

/** collectionPrefix is the key prefix of a collection: the whole resource, or one namespace. */
export function collectionPrefix(info: ResourceInfo, root: string, namespace?: string): string {
  const prefix = storagePrefix(info, root);
  return info.namespaced && namespace !== undefined ? `${prefix}${namespace}/` : prefix;
}
