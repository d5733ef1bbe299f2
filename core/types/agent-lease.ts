// Agent liveness through Leases, as Kubernetes moved node heartbeats to `kube-node-lease`: a
// heartbeat renews a small Lease instead of rewriting the whole Agent, so thousands of agents
// heartbeating cost the API server and every Agent watcher (the allocator above all) little.
// The Agent's own status (Ready, lastHeartbeatTime) is still written, but only when it changes
// and otherwise at a slow refresh.

/** AGENT_LEASE_NAMESPACE holds one coordination.k8s.io/v1 Lease per agent, named as its Agent. */
export const AGENT_LEASE_NAMESPACE = 'corral-agent-leases';

/** DEFAULT_AGENT_STATUS_REFRESH_MS is how often an agent rewrites its status with no change. */
export const DEFAULT_AGENT_STATUS_REFRESH_MS = 60_000;

/** leaseRenewedAt is a Lease's renewTime (or acquireTime) in ms since the epoch, if it has one. */
export function leaseRenewedAt(
  spec: { renewTime?: string; acquireTime?: string } | undefined,
): number | undefined {
  const t = Date.parse(spec?.renewTime ?? spec?.acquireTime ?? '');
  return Number.isNaN(t) ? undefined : t;
}
