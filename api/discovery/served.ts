// The served groups and versions, derived from the flat ResourceInfo list every discovery and
// OpenAPI document is generated from. Orders are deterministic so documents (and their hashes)
// depend only on what is served, not on the order the registry happened to list it in.
import { createHash } from 'node:crypto';
import type { ResourceInfo } from '../registry/resource-info.ts';
import { kubeVersionOrder } from './kube-version.ts';

/** ServedGroup is one API group with its served versions, the preferred one first. */
export interface ServedGroup {
  readonly name: string;
  readonly preferred: string;
  readonly versions: readonly string[];
}

/**
 * servedGroups lists every group (the core group is `''`) sorted by name. A group's preferred
 * version is a storage version of one of its kinds (the most kube-preferred one if kinds
 * disagree), falling back to the most kube-preferred served version; the rest follow in
 * kube-aware order.
 */
export function servedGroups(resources: readonly ResourceInfo[]): ServedGroup[] {
  const byGroup = new Map<string, ResourceInfo[]>();
  for (const r of resources) byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r]);
  return [...byGroup.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, rs]) => {
      const served = [...new Set(rs.map(r => r.version))].sort(kubeVersionOrder);
      const storage = [...new Set(rs.map(r => r.storageVersion))]
        .filter(v => served.includes(v))
        .sort(kubeVersionOrder);
      // a group is only listed when it has a resource, so served is never empty
      const preferred = storage[0] ?? served[0] ?? '';
      return { name, preferred, versions: [preferred, ...served.filter(v => v !== preferred)] };
    });
}

/** servedGroup finds one group by name, or undefined when nothing in it is served. */
export function servedGroup(
  resources: readonly ResourceInfo[],
  group: string,
): ServedGroup | undefined {
  return servedGroups(resources.filter(r => r.group === group))[0];
}

/** resourcesOf returns the resources served in one group/version, sorted by plural. */
export function resourcesOf(
  resources: readonly ResourceInfo[],
  group: string,
  version: string,
): ResourceInfo[] {
  return resources
    .filter(r => r.group === group && r.version === version)
    .sort((a, b) => (a.plural < b.plural ? -1 : a.plural > b.plural ? 1 : 0));
}

// kube's verb lists, in kube's order: the CRD handler's, and core/v1 namespaces' (which has no
// deletecollection).
const CUSTOM_VERBS = [
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'create',
  'update',
  'watch',
];
const NAMESPACE_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

/** SUBRESOURCE_VERBS are the verbs of `/status` and `/scale`. */
export const SUBRESOURCE_VERBS: readonly string[] = ['get', 'patch', 'update'];

/** isNamespaceResource says whether r is the built-in core/v1 Namespace. */
export function isNamespaceResource(r: Pick<ResourceInfo, 'group' | 'plural'>): boolean {
  return r.group === '' && r.plural === 'namespaces';
}

/** resourceVerbs are the verbs advertised for a resource's collection and items. */
export function resourceVerbs(r: Pick<ResourceInfo, 'group' | 'plural'>): string[] {
  return isNamespaceResource(r) ? [...NAMESPACE_VERBS] : [...CUSTOM_VERBS];
}

/**
 * storageVersionHash is kube's opaque storage-version token: base64 of the first 8 bytes of
 * sha256(`<group>/<storageVersion>/<kind>`); it changes only when the storage version does.
 */
export function storageVersionHash(
  r: Pick<ResourceInfo, 'group' | 'storageVersion' | 'kind'>,
): string {
  const digest = createHash('sha256').update(`${r.group}/${r.storageVersion}/${r.kind}`).digest();
  return digest.subarray(0, 8).toString('base64');
}
