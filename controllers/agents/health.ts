// How the control plane sees an agent (mesos-features §5.5): reachable, unreachable since the
// health controller set its Unreachable condition, gone (an operator's MARK_AGENT_GONE), or unknown
// (no Agent object). Every controller that reacts to agent loss reads it through agentHealth, so
// they all agree on the moment the agent was lost.
import type { Agent } from '../../core/types/index.ts';
import { findCondition } from './conditions.ts';

/** UNREACHABLE_CONDITION is the Agent condition the health controller keeps. */
export const UNREACHABLE_CONDITION = 'Unreachable';

/** READY_CONDITION is the Agent condition the agent's heartbeats keep True. */
export const READY_CONDITION = 'Ready';

/** AgentHealth is what other controllers need to know about an agent's reachability. */
export type AgentHealth =
  | { readonly kind: 'reachable' }
  | { readonly kind: 'unreachable'; readonly since: string }
  | { readonly kind: 'gone' }
  | { readonly kind: 'unknown' };

/**
 * agentHealth reads an Agent: gone once `spec.gone` is set (for good), unreachable while its
 * Unreachable condition is True (since that condition's transition), unknown without an object.
 */
export function agentHealth(agent: Agent | undefined): AgentHealth {
  if (agent === undefined) return { kind: 'unknown' };
  if (agent.spec.gone === true) return { kind: 'gone' };
  const c = findCondition(agent.status?.conditions, UNREACHABLE_CONDITION);
  if (c?.status === 'True') return { kind: 'unreachable', since: c.lastTransitionTime };
  return { kind: 'reachable' };
}

/** healthKey is a string that changes exactly when agentHealth does (for event filtering). */
export function healthKey(agent: Agent): string {
  const h = agentHealth(agent);
  return h.kind === 'unreachable' ? `unreachable@${h.since}` : h.kind;
}
