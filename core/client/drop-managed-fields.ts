import type { KubeObject } from '../types/meta.ts';

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
  // a new metadata object rather than `delete`, which can leave the old one in slow dictionary mode
  const metadata: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj.metadata)) if (k !== 'managedFields') metadata[k] = v;
  obj.metadata = metadata;
  return obj;
}
