// The agent health controller (mesos-features §5.5; DESIGN.md flow 1): an agent whose last
// heartbeat (its Lease's renewal in AGENT_LEASE_NAMESPACE, or its status's lastHeartbeatTime,
// whichever is later) is older than the timeout (Mesos: agent_ping_timeout × max_agent_ping_timeouts, 75 s)
// becomes Unreachable=True and Ready=False; a fresh heartbeat clears Unreachable (the agent's own
// heartbeat sets Ready). A gone agent is Ready=False for good. Tasks and Operations react to the
// condition in their own controllers.
import type { Logger } from 'pino';
import type { ReadonlyCache, WriteOptions } from '../../core/client/index.ts';
import type { Lease } from '../../core/client/index.ts';
import type { Agent, AgentStatus } from '../../core/types/index.ts';
import { AGENT_LEASE_NAMESPACE, leaseRenewedAt } from '../../core/types/index.ts';
import type { Clock } from '../../core/util/clock.ts';
import type { Reconciler, Request, Result } from '../runtime/index.ts';
import { done } from '../runtime/index.ts';
import { isConditionTrue, isoTime, sameConditions, setCondition } from './conditions.ts';
import { READY_CONDITION, UNREACHABLE_CONDITION } from './health.ts';

/** DEFAULT_AGENT_PING_TIMEOUT_MS is Mesos's --agent_ping_timeout (15 s). */
export const DEFAULT_AGENT_PING_TIMEOUT_MS = 15_000;

/** DEFAULT_MAX_AGENT_PING_TIMEOUTS is Mesos's --max_agent_ping_timeouts (5). */
export const DEFAULT_MAX_AGENT_PING_TIMEOUTS = 5;

/** AgentStatusApi writes an Agent's status: the typed client fits. */
export interface AgentStatusApi {
  updateStatus(obj: Agent, opts?: WriteOptions): Promise<Agent>;
}

/** AgentHealthOptions wire the reconciler. */
export interface AgentHealthOptions {
  readonly agents: ReadonlyCache<Agent>;
  /** leases is the cache of the agents' Leases (AGENT_LEASE_NAMESPACE); absent: status only. */
  readonly leases?: ReadonlyCache<Lease>;
  readonly api: AgentStatusApi;
  readonly clock: Clock;
  readonly logger: Logger;
  /** timeoutMs: how long without a heartbeat makes an agent Unreachable (75 s by default). */
  readonly timeoutMs: number;
}

/**
 * lastSign is when the agent last showed life: the later of its Lease's renewal and its status's
 * heartbeat, else its registration.
 */
export function lastSign(agent: Agent, lease: Lease | undefined): number | undefined {
  const renewed = leaseRenewedAt(lease?.spec);
  const status = Date.parse(agent.status?.lastHeartbeatTime ?? '');
  const beat = Math.max(renewed ?? -Infinity, Number.isNaN(status) ? -Infinity : status);
  if (beat > -Infinity) return beat;
  const created = Date.parse(agent.metadata.creationTimestamp ?? '');
  return Number.isNaN(created) ? undefined : created;
}

/** AgentHealthReconciler keeps one Agent's Unreachable and Ready conditions. */
export class AgentHealthReconciler implements Reconciler {
  readonly #o: AgentHealthOptions;

  constructor(options: AgentHealthOptions) {
    this.#o = options;
  }

  /** reconcile marks the agent (un)reachable and asks to look again when its heartbeat expires. */
  async reconcile(req: Request, signal: AbortSignal): Promise<Result> {
    const { agents, clock, timeoutMs } = this.#o;
    const agent = agents.get({ name: req.name });
    if (agent === undefined) return done;
    const now = clock.now();
    const at = isoTime(now);
    const status = agent.status ?? {};
    if (agent.spec.gone === true) {
      const conditions = setCondition(
        status.conditions,
        { type: READY_CONDITION, status: 'False', reason: 'AgentGone', message: 'marked gone' },
        at,
      );
      await this.#write(agent, { ...status, conditions }, signal);
      return done;
    }
    const lease = this.#o.leases?.get({ namespace: AGENT_LEASE_NAMESPACE, name: req.name });
    const last = lastSign(agent, lease);
    if (last === undefined) return done;
    const expiresAt = last + timeoutMs;
    const unreachable = isConditionTrue(status.conditions, UNREACHABLE_CONDITION);
    if (now >= expiresAt) {
      if (unreachable) return done;
      const since = isoTime(last);
      const message = `no heartbeat since ${since} (timeout ${timeoutMs / 1000} s)`;
      let conditions = setCondition(
        status.conditions,
        { type: UNREACHABLE_CONDITION, status: 'True', reason: 'HeartbeatsMissed', message },
        at,
      );
      conditions = setCondition(
        conditions,
        { type: READY_CONDITION, status: 'False', reason: 'AgentUnreachable', message },
        at,
      );
      await this.#write(agent, { ...status, conditions }, signal);
      return done;
    }
    if (unreachable) {
      const conditions = setCondition(
        status.conditions,
        {
          type: UNREACHABLE_CONDITION,
          status: 'False',
          reason: 'HeartbeatResumed',
          message: `heartbeat at ${isoTime(last)}`,
        },
        at,
      );
      await this.#write(agent, { ...status, conditions }, signal);
    }
    // Nothing changes until the heartbeat expires, unless a new heartbeat (an event) comes first.
    return { requeueAfterMs: expiresAt - now + 1 };
  }

  async #write(agent: Agent, status: AgentStatus, signal: AbortSignal): Promise<void> {
    if (sameConditions(agent.status?.conditions, status.conditions)) return;
    const next = { ...structuredClone(agent), status };
    await this.#o.api.updateStatus(next, { signal, fieldManager: 'corral-agent-health' });
    const unreachable = isConditionTrue(status.conditions, UNREACHABLE_CONDITION);
    this.#o.logger.info(
      { agent: agent.metadata.name, unreachable, gone: agent.spec.gone === true },
      'agent health changed',
    );
  }
}
