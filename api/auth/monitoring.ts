import type { UserInfo } from './user.ts';
import { MASTERS_GROUP } from './user.ts';

/** MONITORING_PATHS are the non-resource paths only monitoring readers may GET (kube's /metrics). */
export const MONITORING_PATHS: readonly string[] = ['/metrics'];

/**
 * MONITORING_GROUP is kube's group for metrics scrapers (its `system:monitoring` ClusterRole
 * binds to it): a token in this group may read /metrics without being a superuser.
 */
export const MONITORING_GROUP = 'system:monitoring';

/**
 * mayReadMonitoring says whether a user may GET the monitoring paths: superusers
 * (`system:masters`) and `system:monitoring`. Frameworks, agents and the controllers may not,
 * as in kube, where /metrics is granted only by cluster-admin and system:monitoring.
 */
export function mayReadMonitoring(user: UserInfo): boolean {
  return user.groups.includes(MASTERS_GROUP) || user.groups.includes(MONITORING_GROUP);
}
