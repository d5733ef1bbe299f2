// Heartbeats (DESIGN.md flow 1): every interval the agent writes `status.lastHeartbeatTime` and a
// Ready=True condition through `/status`. The controllers mark an agent that stops doing so
// Unreachable; a failed heartbeat is logged and tried again at the next interval.
import type { Logger } from 'pino';
import type { AgentStatus } from '../../core/types/agent.ts';
import type { Clock } from '../../core/util/clock.ts';
import type { AgentApi } from './agent-status.ts';
import { updateAgentStatus, withReady } from './agent-status.ts';

/** DEFAULT_HEARTBEAT_MS is how often the agent reports (5 s). */
export const DEFAULT_HEARTBEAT_MS = 5_000;

/** HeartbeatOptions wire the loop. */
export interface HeartbeatOptions {
  readonly api: AgentApi;
  readonly name: string;
  readonly clock: Clock;
  readonly intervalMs: number;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

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

/** heartbeat writes one heartbeat now. */
export async function heartbeat(o: Omit<HeartbeatOptions, 'intervalMs' | 'logger'>): Promise<void> {
  const now = new Date(o.clock.now()).toISOString();
  await updateAgentStatus(o.api, o.name, s => withHeartbeat(s, now), o.signal);
}

/** runHeartbeats beats at once and then every interval until `signal` aborts. */
export async function runHeartbeats(o: HeartbeatOptions): Promise<void> {
  let failing = false;
  while (!o.signal.aborted) {
    try {
      await heartbeat(o);
      if (failing) o.logger.info({}, 'heartbeats resumed');
      failing = false;
    } catch (err) {
      if (o.signal.aborted) return;
      if (!failing) o.logger.warn({ err }, 'heartbeat failed; retrying');
      failing = true;
    }
    try {
      await o.clock.sleep(o.intervalMs, o.signal);
    } catch {
      return;
    }
  }
}

/** markStopped records a graceful stop: Ready=False, the containers keep running. */
export async function markStopped(
  o: Omit<HeartbeatOptions, 'intervalMs' | 'logger' | 'signal'>,
): Promise<void> {
  const now = new Date(o.clock.now()).toISOString();
  await updateAgentStatus(o.api, o.name, s => withStopped(s, now));
}
