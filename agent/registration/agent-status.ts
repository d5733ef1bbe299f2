// Writes to the Agent's status go through `/status` with the record's resourceVersion and are
// retried on Conflict after reading it again, so the conditions other writers keep there (the
// health controller's Unreachable) are never overwritten.
import type { CallOptions, ObjectKey, WriteOptions } from '../../core/client/index.ts';
import { isConflict } from '../../core/client/index.ts';
import type { Agent, AgentStatus } from '../../core/types/agent.ts';
import type { Condition } from '../../core/types/meta.ts';
import type { ConditionInput } from './conditions.ts';
import { setCondition } from './conditions.ts';

/** AgentApi is what registration and heartbeats need of the API: the typed Agent client fits. */
export interface AgentApi {
  get(key: ObjectKey, opts?: CallOptions): Promise<Agent>;
  create(obj: Agent, opts?: WriteOptions): Promise<Agent>;
  update(obj: Agent, opts?: WriteOptions): Promise<Agent>;
  updateStatus(obj: Agent, opts?: WriteOptions): Promise<Agent>;
}

/** FIELD_MANAGER names the agent in managedFields. */
export const FIELD_MANAGER = 'corral-agent';

const MAX_ATTEMPTS = 5;

/** updateAgentStatus applies `change` to the latest status and writes it (CAS, retried). */
export async function updateAgentStatus(
  api: AgentApi,
  name: string,
  change: (status: AgentStatus) => AgentStatus,
  signal?: AbortSignal,
): Promise<Agent> {
  const call = signal === undefined ? {} : { signal };
  for (let attempt = 1; ; attempt++) {
    const agent = await api.get({ name }, call);
    try {
      return await api.updateStatus(
        { ...agent, status: change(agent.status ?? {}) },
        { ...call, fieldManager: FIELD_MANAGER },
      );
    } catch (e) {
      if (!isConflict(e) || attempt >= MAX_ATTEMPTS) throw e;
    }
  }
}

/** AgentStatusWrite is one status change applied over a copy of the record believed current. */
export interface AgentStatusWrite {
  readonly api: AgentApi;
  /** base is the writer's last copy (what its previous write returned). */
  readonly base: Agent;
  readonly change: (status: AgentStatus) => AgentStatus;
  readonly signal?: AbortSignal;
}

/**
 * writeAgentStatus is updateAgentStatus without the read when the writer's copy is still current:
 * it writes over `base` first and reads the record only after a Conflict (then as
 * updateAgentStatus does). Hollow agents beat this way: one request a heartbeat, not two.
 */
export async function writeAgentStatus(w: AgentStatusWrite): Promise<Agent> {
  const call = w.signal === undefined ? {} : { signal: w.signal };
  try {
    return await w.api.updateStatus(
      { ...w.base, status: w.change(w.base.status ?? {}) },
      { ...call, fieldManager: FIELD_MANAGER },
    );
  } catch (e) {
    if (!isConflict(e)) throw e;
  }
  return updateAgentStatus(w.api, w.base.metadata.name ?? '', w.change, w.signal);
}

/** withReady sets the Ready condition of a status. */
export function withReady(status: AgentStatus, ready: ConditionInput, now: string): AgentStatus {
  const conditions: Condition[] = setCondition(status.conditions, ready, now);
  return { ...status, conditions };
}
