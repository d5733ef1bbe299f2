// Aggregated discovery (apidiscovery.k8s.io/v2): one document for `/api` and one for `/apis`
// that carries every resource, so kubectl needs two requests instead of one per group/version.
import type { ResourceInfo } from '../registry/resource-info.ts';
import { resourceVerbs, resourcesOf, servedGroups, SUBRESOURCE_VERBS } from './served.ts';
import type {
  AggregatedVersion,
  APIGroupDiscovery,
  APIGroupDiscoveryList,
  APIResourceDiscovery,
  APISubresourceDiscovery,
} from './types.ts';

/** resourceDiscovery renders one resource with its status/scale subresources. */
function resourceDiscovery(r: ResourceInfo): APIResourceDiscovery {
  const responseKind = { group: r.group, version: r.version, kind: r.kind };
  const subresources: APISubresourceDiscovery[] = [];
  if (r.statusSubresource) {
    subresources.push({ subresource: 'status', responseKind, verbs: [...SUBRESOURCE_VERBS] });
  }
  if (r.scale !== undefined) {
    subresources.push({
      subresource: 'scale',
      responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
      verbs: [...SUBRESOURCE_VERBS],
    });
  }
  return {
    resource: r.plural,
    responseKind,
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: resourceVerbs(r),
    // kube omits empty lists; client-go treats absent and empty alike
    ...(r.shortNames.length > 0 ? { shortNames: [...r.shortNames] } : {}),
    ...(r.categories.length > 0 ? { categories: [...r.categories] } : {}),
    ...(subresources.length > 0 ? { subresources } : {}),
  };
}

/**
 * aggregatedDiscovery builds the APIGroupDiscoveryList for `/api` (`which: 'api'`: the core
 * group, named '') or `/apis` (every other group, by name); versions are listed preferred first.
 * `version` picks the apiVersion, v2 unless the client only accepts v2beta1 (same shape).
 */
export function aggregatedDiscovery(
  resources: readonly ResourceInfo[],
  which: 'api' | 'apis',
  version: AggregatedVersion = 'v2',
): APIGroupDiscoveryList {
  const items: APIGroupDiscovery[] = servedGroups(resources)
    .filter(g => (which === 'api' ? g.name === '' : g.name !== ''))
    .map(g => ({
      metadata: { name: g.name },
      versions: g.versions.map(v => ({
        version: v,
        resources: resourcesOf(resources, g.name, v).map(resourceDiscovery),
        freshness: 'Current' as const,
      })),
    }));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items,
  };
}
