// Agent: one node, its resources and capabilities (mesos-features §0.3, §8.4; DESIGN.md §3.1).
import type { CorralApiVersion } from './group.ts';
import type { Condition, KubeObject } from './meta.ts';
import type { FaultDomain, QuantityMap, ResourceItem, ResourceMap } from './resources.ts';

/** AGENT_CAPABILITIES lists what an agent can declare (Mesos AgentInfo.Capability). */
export const AGENT_CAPABILITIES = [
  'MULTI_ROLE',
  'HIERARCHICAL_ROLE',
  'RESERVATION_REFINEMENT',
  'RESOURCE_PROVIDER',
  'RESIZE_VOLUME',
  'AGENT_OPERATION_FEEDBACK',
  'AGENT_DRAINING',
  'TASK_RESOURCE_LIMITS',
] as const;

/** AgentCapability is one agent capability. */
export type AgentCapability = (typeof AGENT_CAPABILITIES)[number];

/** RECONFIGURATION_POLICIES lists how a registered agent may change (Mesos --reconfiguration_policy). */
export const RECONFIGURATION_POLICIES = ['equal', 'additive'] as const;

/** ReconfigurationPolicy: `equal` accepts no change, `additive` lets resources and attributes grow. */
export type ReconfigurationPolicy = (typeof RECONFIGURATION_POLICIES)[number];

/** AgentDrain asks for the agent to be drained (Mesos DRAIN_AGENT). */
export interface AgentDrain {
  maxGracePeriodSeconds?: number;
  markGone?: boolean;
}

/** AgentSpec is what the agent registers, plus the operator's maintenance switches. */
export interface AgentSpec {
  hostname: string;
  /** Unreserved resources in the map form. */
  resources?: ResourceMap;
  /** Statically reserved resources and PATH/MOUNT disks, in the list form. */
  additionalResources?: ResourceItem[];
  /** Attributes in Mesos text form (`r1`, `2`, `[1-4]`, `{a,b}`). */
  attributes?: Record<string, string>;
  faultDomain?: FaultDomain;
  capabilities?: AgentCapability[];
  reconfigurationPolicy?: ReconfigurationPolicy;
  unschedulable?: boolean;
  drain?: AgentDrain;
  gone?: boolean;
}

/** DRAIN_STATES lists the progress of a drain (Mesos DrainState). */
export const DRAIN_STATES = ['DRAINING', 'DRAINED'] as const;

/** DrainState is DRAINING until every task has ended, then DRAINED. */
export type DrainState = (typeof DRAIN_STATES)[number];

/** AgentStatus is what the agent heartbeats and the controllers observe. */
export interface AgentStatus {
  observedGeneration?: number;
  /** Ready, Unreachable, Draining. */
  conditions?: Condition[];
  allocated?: ResourceMap;
  revocableEstimate?: QuantityMap;
  lastHeartbeatTime?: string;
  drainState?: DrainState;
  /**
   * apiEndpoint is the base URL of the agent's own API (exec, attach, logs, standalone
   * containers), `http://127.0.0.1:<port>`; written by the agent when it registers.
   */
  apiEndpoint?: string;
}

/** Agent is a node of the cluster (cluster-scoped). */
export interface Agent extends KubeObject {
  apiVersion: CorralApiVersion;
  kind: 'Agent';
  spec: AgentSpec;
  status?: AgentStatus;
}
