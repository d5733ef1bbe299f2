// What a task still holds on its agent (mesos-features §5.1, §5.5), decided here once for every
// side that asks: the allocator (what it may offer), the offer engine and the reservation
// controller (what an answer or an operator may take, unreserve or destroy), the task controller
// and the agent (which states nobody may change any more).
//
// Mesos frees a task's resources at its first terminal state. TASK_LOST is the exception: for a
// framework without PARTITION_AWARE it stands in for TASK_UNREACHABLE, and since Mesos 1.5
// (MESOS-7215) an agent that comes back keeps such tasks running, so until the agent is marked
// Gone the task may still use its cpus, ports and volumes. An agent marked Gone (MARK_AGENT_GONE,
// permanent: the agent is shut down and its tasks killed) holds nothing for anybody.
import type { Task, TaskStatus } from '../types/task.ts';
import { REJECTED_ANNOTATION } from './marks.ts';
import { TERMINAL_TASK_STATES } from './states.ts';

/**
 * AgentHealthKind is how the control plane sees a task's agent: reachable, unreachable (missed
 * heartbeats), gone (an operator's `spec.gone`, for good), or unknown (no Agent object seen).
 * It is `AgentHealth['kind']` of controllers/agents; only `gone` changes what a task holds.
 */
export type AgentHealthKind = 'reachable' | 'unreachable' | 'gone' | 'unknown';

/**
 * isProvisionalLost is true for the TASK_LOST the controllers write for a task of an unreachable
 * agent (SOURCE_MASTER, any reason but REASON_AGENT_REMOVED_BY_OPERATOR): the task may still
 * run, and the agent reports it again when it comes back. The agent's own TASK_LOST (a container
 * that vanished) and the one written when the agent was marked gone are final.
 */
export function isProvisionalLost(status: TaskStatus | undefined): boolean {
  return (
    status?.state === 'TASK_LOST' &&
    status.source === 'SOURCE_MASTER' &&
    status.reason !== 'REASON_AGENT_REMOVED_BY_OPERATOR'
  );
}

/**
 * isFinalTaskStatus is true for a terminal state that nobody may change any more: every terminal
 * state (TERMINAL_TASK_STATES) except a provisional TASK_LOST. No status yet is not final.
 */
export function isFinalTaskStatus(status: TaskStatus | undefined): boolean {
  const s = status?.state;
  if (s === undefined || !TERMINAL_TASK_STATES.has(s)) return false;
  return !isProvisionalLost(status);
}

/**
 * holdsResources is true while a task still holds its allocated resources (volumes included) on
 * its agent: until its state is final (isFinalTaskStatus), so TASK_UNREACHABLE, TASK_UNKNOWN and
 * a provisional TASK_LOST keep holding. Nothing is held on an agent marked Gone, whatever the
 * state its tasks still show, nor by a task the offer controller wrote only to report its
 * rejection (REJECTED_ANNOTATION).
 */
export function holdsResources(task: Task, agent: AgentHealthKind): boolean {
  if (agent === 'gone') return false;
  if (task.metadata.annotations?.[REJECTED_ANNOTATION] !== undefined) return false;
  return !isFinalTaskStatus(task.status);
}
