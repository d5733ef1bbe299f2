// Legacy (unaggregated) discovery: `/api`, `/apis`, `/apis/<g>`, and the APIResourceList at
// `/api/v1` and `/apis/<g>/<v>`, which client-node's KubernetesObjectApi reads on first use.
import { apiVersionOf } from '../registry/resource-info.ts';
import type { ResourceInfo } from '../registry/resource-info.ts';
import {
  resourceVerbs,
  resourcesOf,
  servedGroup,
  servedGroups,
  storageVersionHash,
  SUBRESOURCE_VERBS,
} from './served.ts';
import type { ServedGroup } from './served.ts';
import type {
  APIGroup,
  APIGroupList,
  APIResource,
  APIResourceList,
  APIVersions,
  GroupVersionForDiscovery,
} from './types.ts';

/**
 * apiVersions is the `/api` document: `["v1"]` when any core resource is served, else no
 * versions. `serverAddress` (host:port as the client reached us) fills the CIDR hint kube sends.
 */
export function apiVersions(
  resources: readonly ResourceInfo[],
  serverAddress?: string,
): APIVersions {
  const core = servedGroup(resources, '');
  return {
    kind: 'APIVersions',
    versions: core === undefined ? [] : [...core.versions],
    serverAddressByClientCIDRs:
      serverAddress === undefined ? [] : [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupVersions(g: ServedGroup): GroupVersionForDiscovery[] {
  return g.versions.map(v => ({ groupVersion: `${g.name}/${v}`, version: v }));
}

function groupEntry(g: ServedGroup): APIGroup {
  return {
    name: g.name,
    versions: groupVersions(g),
    preferredVersion: { groupVersion: `${g.name}/${g.preferred}`, version: g.preferred },
  };
}

/** apiGroupList is the legacy `/apis` document: every non-core group, preferred version first. */
export function apiGroupList(resources: readonly ResourceInfo[]): APIGroupList {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: servedGroups(resources)
      .filter(g => g.name !== '')
      .map(groupEntry),
  };
}

/** apiGroup is the `/apis/<group>` document, or undefined (→ 404) when the group is not served. */
export function apiGroup(resources: readonly ResourceInfo[], group: string): APIGroup | undefined {
  const g = group === '' ? undefined : servedGroup(resources, group);
  return g === undefined ? undefined : { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(g) };
}

/** resourceEntries renders a resource, then its status and scale subresources, as kube does. */
function resourceEntries(r: ResourceInfo): APIResource[] {
  const main: APIResource = {
    name: r.plural,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: resourceVerbs(r),
    ...(r.shortNames.length > 0 ? { shortNames: [...r.shortNames] } : {}),
    ...(r.categories.length > 0 ? { categories: [...r.categories] } : {}),
    storageVersionHash: storageVersionHash(r),
  };
  const out = [main];
  if (r.statusSubresource) {
    out.push({
      name: `${r.plural}/status`,
      singularName: '',
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: [...SUBRESOURCE_VERBS],
    });
  }
  if (r.scale !== undefined) {
    out.push({
      name: `${r.plural}/scale`,
      singularName: '',
      namespaced: r.namespaced,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: [...SUBRESOURCE_VERBS],
    });
  }
  return out;
}

/**
 * apiResourceList is the `/api/v1` or `/apis/<g>/<v>` document, or undefined (→ 404) when that
 * group/version is not served. Each main resource precedes its subresources: client-node picks
 * the first entry whose kind matches, and `<plural>/status` has the same kind.
 */
export function apiResourceList(
  resources: readonly ResourceInfo[],
  group: string,
  version: string,
): APIResourceList | undefined {
  const served = resourcesOf(resources, group, version);
  if (served.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources: served.flatMap(resourceEntries),
  };
}
