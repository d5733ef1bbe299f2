// Discovery (`/version`, `/api`, `/apis`...), OpenAPI v3 and Accept negotiation: pure functions
// of the served ResourceInfo list; the HTTP handlers live elsewhere.
export { parseAccept, tableVersion, wantsTable } from './accept.ts';
export type { MediaRange, TableVersion } from './accept.ts';
export { aggregatedDiscovery } from './aggregated.ts';
export { kubeVersionOrder } from './kube-version.ts';
export { apiGroup, apiGroupList, apiResourceList, apiVersions } from './legacy.ts';
export {
  AGGREGATED_DISCOVERY_CONTENT_TYPE,
  AGGREGATED_DISCOVERY_V2BETA1_CONTENT_TYPE,
  discoveryContentType,
  negotiateDiscovery,
} from './negotiate.ts';
export type { DiscoveryFormat } from './negotiate.ts';
export {
  openApiGroupVersion,
  openApiIndex,
  openApiIndexKey,
  serializedGroupVersion,
} from './openapi-document.ts';
export type { SerializedDocument } from './openapi-document.ts';
export { modelName } from './openapi-names.ts';
export { PATCH_CONTENT_TYPES } from './openapi-paths.ts';
export type { OpenApiDocument, OpenApiIndex } from './openapi-types.ts';
export {
  isNamespaceResource,
  resourceVerbs,
  servedGroups,
  storageVersionHash,
  SUBRESOURCE_VERBS,
} from './served.ts';
export type { ServedGroup } from './served.ts';
export type * from './types.ts';
export { versionInfo } from './version-info.ts';
export type { VersionInfoOptions } from './version-info.ts';
