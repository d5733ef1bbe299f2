import type { KubeObject } from '../../core/types/meta.ts';
import { NAMESPACES } from './builtins.ts';
import type { ResourceInfo } from './resource-info.ts';

/**
 * isHeld tells whether something still holds an object back from removal: metadata finalizers,
 * or for a Namespace its `spec.finalizers` (kube keeps namespaces until their content is gone).
 */
export function isHeld(info: ResourceInfo, obj: KubeObject): boolean {
  if ((obj.metadata.finalizers ?? []).length > 0) return true;
  if (info !== NAMESPACES) return false;
  const spec = obj['spec'] as { finalizers?: unknown } | undefined;
  return Array.isArray(spec?.finalizers) && spec.finalizers.length > 0;
}
