// Agent liveness through Leases, as Kubernetes moved node heartbeats to `kube-node-lease`: a
// heartbeat renews a small Lease instead of rewriting the whole Agent, so thousands of agents
// heartbeating cost the API server and every Agent watcher (the allocator above all) little.
// The Agent's own status (Ready, lastHeartbeatTime) is still written, but only when it changes
// and otherwise at a slow refresh.

/** AGENT_LEASE_NAMESPACE holds one coordination.k8s.io/v1 Lease per agent, named as its Agent. */
export const AGENT_LEASE_NAMESPACE = 'corral-agent-leases';

/**
 * DEFAULT_AGENT_STATUS_REFRESH_MS is how often an agent rewrites its status with no change: 5
 * minutes, kubelet's nodeStatusReportFrequency. Liveness is the Lease's job; each rewrite of a
 * big Agent record wakes every Agent watcher, which at 5000 agents and once a minute was 83
 * writes/s of the control plane's busiest objects.
 */
export const DEFAULT_AGENT_STATUS_REFRESH_MS = 300_000;

/** leaseRenewedAt is a Lease's renewTime (or acquireTime) in ms since the epoch, if it has one. */
export function leaseRenewedAt(
  spec: { renewTime?: string; acquireTime?: string } | undefined,
): number | undefined {
  const t = Date.parse(spec?.renewTime ?? spec?.acquireTime ?? '');
  return Number.isNaN(t) ? undefined : t;
}
