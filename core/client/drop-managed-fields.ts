import type { KubeObject } from '../types/meta.ts';
import { withoutMember } from '../util/without-member.ts';

/**
 * dropManagedFields is an informer transform (SharedInformerOptions.transform) that keeps
 * `metadata.managedFields` out of the cache, as client-go's TransformStripManagedFields does for
 * kube-scheduler. No Corral component reads them, they are a large share of a written object's
 * JSON, and a cache keeps every object alive: memory, plus the copying of each cached object out
 * of the young generation. Updating a cached object stays right: an update that carries no
 * managedFields keeps the stored ones.
 */
export function dropManagedFields<T extends KubeObject>(obj: T): T {
  if (obj.metadata.managedFields === undefined) return obj;
  obj.metadata = withoutMember(obj.metadata, 'managedFields');
  return obj;
}

/**
 * WITHOUT_MANAGED_FIELDS are the informer options of every Corral component: the server is asked
 * to leave managedFields out of lists and watches (omitManagedFields, a Corral extension), and
 * dropManagedFields takes them out where a server sent them anyway.
 */
export const WITHOUT_MANAGED_FIELDS = {
  transform: dropManagedFields,
  omitManagedFields: true,
} as const;
