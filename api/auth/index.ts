export type { UserInfo } from './user.ts';
export {
  ANONYMOUS_USER,
  AUTHENTICATED_GROUP,
  MASTERS_GROUP,
  UNAUTHENTICATED_GROUP,
  isAuthenticated,
} from './user.ts';
export type { TokenAuthenticator, TokenEntry } from './token-file.ts';
export { loadTokenFile, parseTokenFile, tokenAuthenticator } from './token-file.ts';
export type { AdminToken } from './admin-token.ts';
export { ADMIN_USER, TOKEN_FILE_NAME, ensureAdminToken } from './admin-token.ts';
export type { AuthenticationOptions } from './authenticate.ts';
export {
  PUBLIC_INFO_PATHS,
  authenticationMiddleware,
  unauthorized,
  userOf,
} from './authenticate.ts';
export type {
  NonResourceRequestInfo,
  QueryValues,
  RequestInfo,
  ResourceRequestInfo,
} from './request-attributes.ts';
export { isWatch, requestAttributesFrom } from './request-attributes.ts';
export type {
  AuthorizationDecision,
  AuthorizationOptions,
  Authorizer,
  RequestAttributes,
} from './authorize.ts';
export {
  allowAllAuthenticated,
  authorizationMiddleware,
  forbidden,
  requestAttributesOf,
} from './authorize.ts';
export { MONITORING_GROUP, MONITORING_PATHS, mayReadMonitoring } from './monitoring.ts';
export type { KubeconfigOptions } from './kubeconfig.ts';
export { renderKubeconfig, writeKubeconfig } from './kubeconfig.ts';
