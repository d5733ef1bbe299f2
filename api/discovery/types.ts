// Wire shapes of the discovery documents (apidiscovery.k8s.io/v2 and the legacy meta/v1 ones),
// spelled as kube-apiserver serializes them: optional fields are absent rather than empty.

/** GroupVersionKind is a (group, version, kind) triple as discovery and OpenAPI spell it. */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** APISubresourceDiscovery is one subresource (`status`, `scale`) of an aggregated resource. */
export interface APISubresourceDiscovery {
  subresource: string;
  responseKind: GroupVersionKind;
  verbs: string[];
}

/** APIResourceDiscovery is one resource of an aggregated discovery version. */
export interface APIResourceDiscovery {
  resource: string;
  responseKind: GroupVersionKind;
  scope: 'Namespaced' | 'Cluster';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

/** APIVersionDiscovery is one version of an aggregated group; the first non-Stale is preferred. */
export interface APIVersionDiscovery {
  version: string;
  resources: APIResourceDiscovery[];
  freshness: 'Current' | 'Stale';
}

/** APIGroupDiscovery is one group of an aggregated list (`name: ''` for the core group). */
export interface APIGroupDiscovery {
  metadata: { name: string };
  versions: APIVersionDiscovery[];
}

/** AggregatedVersion names the two apidiscovery.k8s.io versions client-go understands. */
export type AggregatedVersion = 'v2' | 'v2beta1';

/** APIGroupDiscoveryList is the aggregated answer to `/api` or `/apis`. */
export interface APIGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  apiVersion: `apidiscovery.k8s.io/${AggregatedVersion}`;
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

/** GroupVersionForDiscovery is one `{groupVersion, version}` entry of a legacy APIGroup. */
export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

/** APIGroup is the legacy `/apis/<g>` document; inside an APIGroupList it has no kind/apiVersion. */
export interface APIGroup {
  kind?: 'APIGroup';
  apiVersion?: 'v1';
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

/** APIGroupList is the legacy `/apis` document. */
export interface APIGroupList {
  kind: 'APIGroupList';
  apiVersion: 'v1';
  groups: APIGroup[];
}

/** ServerAddressByClientCIDR tells a client which address to use from which network. */
export interface ServerAddressByClientCIDR {
  clientCIDR: string;
  serverAddress: string;
}

/** APIVersions is the legacy `/api` document (kube sends it without apiVersion). */
export interface APIVersions {
  kind: 'APIVersions';
  versions: string[];
  serverAddressByClientCIDRs: ServerAddressByClientCIDR[];
}

/** APIResource is one entry of a legacy APIResourceList (a resource or `<plural>/<sub>`). */
export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

/** APIResourceList is the legacy `/api/v1` or `/apis/<g>/<v>` document. */
export interface APIResourceList {
  kind: 'APIResourceList';
  apiVersion: 'v1';
  groupVersion: string;
  resources: APIResource[];
}

/** VersionInfo is the `/version` document (k8s.io/apimachinery/pkg/version.Info). */
export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}
