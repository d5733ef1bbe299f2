// What a heartbeat, a graceful stop and a stand-down write into the Agent's status, and when a
// heartbeat must write the status at all (heartbeat-loop.ts renews the agent's Lease every
// interval; the status, whose every write wakes every Agent watcher, is written only when it
// changes and otherwise at a slow refresh, as kubelet treats its Node status).
import type { Agent, AgentStatus } from '../../core/types/agent.ts';
import type { Clock } from '../../core/util/clock.ts';
import type { AgentApi } from './agent-status.ts';
import { updateAgentStatus, withReady } from './agent-status.ts';

/** DEFAULT_HEARTBEAT_MS is how often the agent renews its Lease (5 s). */
export const DEFAULT_HEARTBEAT_MS = 5_000;

/** withHeartbeat is `status` after a heartbeat at `now` (RFC 3339): Ready=True, the time. */
export function withHeartbeat(status: AgentStatus, now: string): AgentStatus {
  const ready = {
    type: 'Ready',
    status: 'True',
    reason: 'AgentReady',
    message: 'agent is heartbeating',
  } as const;
  return { ...withReady(status, ready, now), lastHeartbeatTime: now };
}

/** withStopped is `status` after a graceful stop at `now`: Ready=False/AgentStopped. */
export function withStopped(
  status: AgentStatus,
  now: string,
  message = 'agent stopped gracefully; its containers keep running until it restarts',
): AgentStatus {
  const ready = { type: 'Ready', status: 'False', reason: 'AgentStopped', message } as const;
  return withReady(status, ready, now);
}

/** withGone is `status` after the agent stood down because it was marked gone. */
export function withGone(status: AgentStatus, now: string): AgentStatus {
  const message = 'marked gone by an operator; the agent killed its containers and stopped';
  const ready = { type: 'Ready', status: 'False', reason: 'AgentGone', message } as const;
  return withReady(status, ready, now);
}

/** isReady is true when the record's Ready condition is True. */
export function isReady(agent: Agent): boolean {
  return agent.status?.conditions?.find(c => c.type === 'Ready')?.status === 'True';
}

/** StatusClock says when this run last wrote the status and how often it refreshes it. */
export interface StatusClock {
  /** writtenAt is when this run of the agent last wrote its status (undefined: not yet). */
  readonly writtenAt: number | undefined;
  readonly nowMs: number;
  readonly refreshMs: number;
}

/**
 * statusDue tells a heartbeat whether to write the status too: at once after a (re)start, so a
 * record a stop left Ready=False turns Ready without waiting for the refresh; whenever the record
 * is not Ready (the health controller marked it unreachable during a stall; Ready is the agent's
 * to set again); and once `refreshMs` have passed since the last write.
 */
export function statusDue(agent: Agent, c: StatusClock): boolean {
  if (c.writtenAt === undefined || !isReady(agent)) return true;
  return c.nowMs - c.writtenAt >= c.refreshMs;
}

/** MarkOptions name the agent whose status a mark writes. */
export interface MarkOptions {
  readonly api: AgentApi;
  readonly name: string;
  readonly clock: Clock;
}

/** markStopped records a graceful stop: Ready=False, the containers keep running. */
export async function markStopped(o: MarkOptions): Promise<void> {
  const now = new Date(o.clock.now()).toISOString();
  await updateAgentStatus(o.api, o.name, s => withStopped(s, now));
}

/** markGone records the stand-down of an agent marked gone: Ready=False/AgentGone. */
export async function markGone(o: MarkOptions): Promise<void> {
  const now = new Date(o.clock.now()).toISOString();
  await updateAgentStatus(o.api, o.name, s => withGone(s, now));
}
