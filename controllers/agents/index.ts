// controllers/agents: agent health (Unreachable after missed heartbeats), and the by-agent indexes
// and health reading the other Corral controllers share.
import type { Lease, ReadonlyCache } from '../../core/client/index.ts';
import { builtinKinds, corralKinds } from '../../core/client/index.ts';
import type { Agent } from '../../core/types/index.ts';
import { AGENT_LEASE_NAMESPACE } from '../../core/types/index.ts';
import type { ControllerContext } from '../main.ts';
import type { Request, Runnable } from '../runtime/index.ts';
import { Controller } from '../runtime/index.ts';
import {
  AgentHealthReconciler,
  DEFAULT_AGENT_PING_TIMEOUT_MS,
  DEFAULT_MAX_AGENT_PING_TIMEOUTS,
} from './health-reconciler.ts';
import { isConditionTrue } from './conditions.ts';
import { UNREACHABLE_CONDITION } from './health.ts';

export type { AgentHealth } from './health.ts';
export { READY_CONDITION, UNREACHABLE_CONDITION, agentHealth, healthKey } from './health.ts';
export type { AgentHealthOptions, AgentStatusApi } from './health-reconciler.ts';
export {
  AgentHealthReconciler,
  DEFAULT_AGENT_PING_TIMEOUT_MS,
  DEFAULT_MAX_AGENT_PING_TIMEOUTS,
} from './health-reconciler.ts';

/** AgentHealthConfig are the health controller's flags (Mesos's names). */
export interface AgentHealthConfig {
  /** agentPingTimeoutMs is Mesos's --agent_ping_timeout (15 s). */
  readonly agentPingTimeoutMs?: number;
  /** maxAgentPingTimeouts is Mesos's --max_agent_ping_timeouts (5). */
  readonly maxAgentPingTimeouts?: number;
}

/** agentHealthTimeoutMs is how long without a heartbeat makes an agent Unreachable (75 s). */
export function agentHealthTimeoutMs(c: AgentHealthConfig = {}): number {
  const ping = c.agentPingTimeoutMs ?? DEFAULT_AGENT_PING_TIMEOUT_MS;
  const max = c.maxAgentPingTimeouts ?? DEFAULT_MAX_AGENT_PING_TIMEOUTS;
  if (!(ping > 0) || !(max >= 1)) throw new RangeError('agent ping timeout and count must be > 0');
  return ping * max;
}

/** agentOfLease maps an agent's Lease to its Agent (same name). */
export function agentOfLease(lease: Lease): Request[] {
  const name = lease.metadata.name;
  return name === undefined ? [] : [{ namespace: '', name }];
}

/**
 * agentOfLeaseWhenUnreachable maps a Lease to its Agent only when a renewal can change the
 * Agent's health now: the Agent is marked Unreachable (the renewal clears it) or not in the cache
 * yet. A renewal of a reachable agent only moves its deadline later, and the reconcile already
 * queued for the old deadline finds the fresh Lease and waits again (kube's node lifecycle
 * controller likewise reads Leases on its own schedule rather than on every renewal): an idle
 * fleet of 5000 agents renewing every 10 s then costs one reconcile per agent per timeout (75 s),
 * not 500 a second.
 */
export function agentOfLeaseWhenUnreachable(
  agents: ReadonlyCache<Agent>,
): (lease: Lease) => Request[] {
  return lease => {
    const reqs = agentOfLease(lease);
    const agent = reqs[0] === undefined ? undefined : agents.get({ name: reqs[0].name });
    if (agent === undefined) return reqs;
    if (agent.spec.gone === true) return [];
    return isConditionTrue(agent.status?.conditions, UNREACHABLE_CONDITION) ? reqs : [];
  };
}

/** agentHealthController builds the agent health controller from the controllers' context. */
export function agentHealthController(
  config: AgentHealthConfig = {},
): (ctx: ControllerContext) => Runnable {
  const timeoutMs = agentHealthTimeoutMs(config);
  return ({ client, manager, clock, logger }) => {
    const agents = manager.informer(corralKinds.agents);
    const leases = manager.informer(builtinKinds.leases, { namespace: AGENT_LEASE_NAMESPACE });
    const reconciler = new AgentHealthReconciler({
      agents: agents.cache,
      leases: leases.cache,
      api: client.for(corralKinds.agents),
      clock,
      logger,
      timeoutMs,
    });
    return new Controller({ name: 'agent-health', reconciler, clock, logger, workers: 2 })
      .watch(agents)
      .watch(leases, agentOfLeaseWhenUnreachable(agents.cache));
  };
}
