// The Agent record this agent registers: its spec (what it offers and supports). Where its own
// API listens is status (`status.apiEndpoint`, written by register.ts).
import type { AgentCapability, AgentSpec, ReconfigurationPolicy } from '../../core/types/agent.ts';
import type { FaultDomain } from '../../core/types/resources.ts';
import type { AgentResources } from './host-resources.ts';

/**
 * LEGACY_AGENT_API_ANNOTATION is where agents before `status.apiEndpoint` published their API's
 * URL; registration removes it from a record such an agent left, so no stale copy remains.
 */
export const LEGACY_AGENT_API_ANNOTATION = 'corral.dev/agent-api';

/**
 * AGENT_CAPABILITIES are what this agent implements: roles of any shape, refined reservations
 * (nothing on the agent depends on the stack), operation feedback (operations.ts) and task
 * limits (the runtime's cgroups). Not RESIZE_VOLUME, RESOURCE_PROVIDER or AGENT_DRAINING.
 */
export const AGENT_CAPABILITIES: readonly AgentCapability[] = [
  'MULTI_ROLE',
  'HIERARCHICAL_ROLE',
  'RESERVATION_REFINEMENT',
  'AGENT_OPERATION_FEEDBACK',
  'TASK_RESOURCE_LIMITS',
];

/** AgentSpecInput is what the agent was configured or detected with. */
export interface AgentSpecInput {
  readonly hostname: string;
  readonly resources: AgentResources;
  readonly attributes: Record<string, string>;
  readonly faultDomain?: FaultDomain;
  readonly reconfigurationPolicy: ReconfigurationPolicy;
}

/** agentSpec is the spec to register; empty optional parts are left out so they compare equal. */
export function agentSpec(input: AgentSpecInput): AgentSpec {
  const { resources, additionalResources } = input.resources;
  return {
    hostname: input.hostname,
    resources,
    ...(additionalResources.length === 0 ? {} : { additionalResources }),
    ...(Object.keys(input.attributes).length === 0 ? {} : { attributes: input.attributes }),
    ...(input.faultDomain === undefined ? {} : { faultDomain: input.faultDomain }),
    capabilities: [...AGENT_CAPABILITIES],
    reconfigurationPolicy: input.reconfigurationPolicy,
  };
}

/** registeredSpec is `desired` with the operator's switches of the existing record kept. */
export function registeredSpec(existing: AgentSpec, desired: AgentSpec): AgentSpec {
  const { unschedulable, drain, gone } = existing;
  return {
    ...desired,
    ...(unschedulable === undefined ? {} : { unschedulable }),
    ...(drain === undefined ? {} : { drain }),
    ...(gone === undefined ? {} : { gone }),
  };
}
