/** UserInfo is the identity authentication attaches to a request (kube's user.Info). */
export interface UserInfo {
  readonly name: string;
  readonly uid?: string;
  readonly groups: readonly string[];
}

/** AUTHENTICATED_GROUP is the group every user with valid credentials belongs to. */
export const AUTHENTICATED_GROUP = 'system:authenticated';

/** UNAUTHENTICATED_GROUP is the group of the anonymous user. */
export const UNAUTHENTICATED_GROUP = 'system:unauthenticated';

/** MASTERS_GROUP is kube's superuser group; the generated admin token belongs to it. */
export const MASTERS_GROUP = 'system:masters';

/** ANONYMOUS_USER is who a request without credentials is, on the paths that allow that. */
export const ANONYMOUS_USER: UserInfo = {
  name: 'system:anonymous',
  groups: [UNAUTHENTICATED_GROUP],
};

/** isAuthenticated says whether a user presented valid credentials (is not anonymous). */
export function isAuthenticated(user: UserInfo): boolean {
  return user.groups.includes(AUTHENTICATED_GROUP);
}
