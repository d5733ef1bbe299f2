// How a framework shows it is alive (Mesos: the scheduler's connection): it renews a
// coordination.k8s.io Lease in its namespace, and the framework controller sets the Framework's
// Active condition to False once the renewals stop for longer than its timeout. A Lease, not a
// status field, so that a heartbeat wakes only the controller that watches it (as kubelets
// moved their heartbeats to Leases).
import { createHash } from 'node:crypto';

/** ACTIVE_CONDITION is the Framework condition the allocator and the task controller read. */
export const ACTIVE_CONDITION = 'Active';

/**
 * ACTIVE_REASONS are the reasons of the Active condition: the SDK writes Connected and
 * Disconnected (connect, stop); the framework controller writes HeartbeatExpired when the Lease
 * went stale and HeartbeatResumed when its renewals came back.
 */
export const ACTIVE_REASONS = {
  connected: 'Connected',
  disconnected: 'Disconnected',
  heartbeatExpired: 'HeartbeatExpired',
  heartbeatResumed: 'HeartbeatResumed',
} as const;

/** FRAMEWORK_LEASE_LABEL marks a Lease a framework renews; its owner is the Framework. */
export const FRAMEWORK_LEASE_LABEL = 'corral.dev/framework-lease';

/** DEFAULT_FRAMEWORK_TIMEOUT_MS is how long a framework may go without renewing (30 s). */
export const DEFAULT_FRAMEWORK_TIMEOUT_MS = 30_000;

const PREFIX = 'corral-framework-';
const MAX_NAME = 253;

/**
 * frameworkLeaseName is the name of the framework's Lease in its namespace: the prefix and the
 * framework's name, cut and completed with a hash of the name when that is too long.
 */
export function frameworkLeaseName(framework: string): string {
  const name = `${PREFIX}${framework}`;
  if (name.length <= MAX_NAME) return name;
  const hash = createHash('sha256').update(framework).digest('hex').slice(0, 10);
  const head = name.slice(0, MAX_NAME - hash.length - 1).replace(/[-.]+$/, '');
  return `${head}-${hash}`;
}
