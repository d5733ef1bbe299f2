// The Task status state machine of the agent (mesos-features §5.1): a pure function from the
// current status and one observation to the next status. It never leaves a final state, never
// goes back (RUNNING does not become STARTING again), and returns `current` itself when the
// observation changes nothing, so the caller can skip the write: every status write is
// idempotent.
import { isDeepStrictEqual } from 'node:util';
import { isFinalTaskStatus } from '../../core/framework/index.ts';
import type { Condition } from '../../core/types/meta.ts';
import type { ContainerStatus, TaskState, TaskStatus } from '../../core/types/task.ts';
import { assertNever } from '../../core/util/assert-never.ts';
import type { Observation } from './observation.ts';
import { terminalFields } from './terminal.ts';

/** TERMINAL_STATES are Mesos's terminal task states (`protobuf::isTerminalState`). */
export const TERMINAL_STATES: ReadonlySet<TaskState> = new Set<TaskState>([
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
]);

/**
 * isFinal is true when the agent must never change the status again: a terminal state, except a
 * TASK_LOST the controllers wrote for an unreachable agent (Mesos's non-partition-aware stand-in
 * for UNREACHABLE: when the agent comes back its tasks keep running and their states are sent
 * again, MESOS-7215). The TASK_LOST of an agent marked gone is final: the control plane's
 * definition (core/framework isFinalTaskStatus), shared with the controllers.
 */
export function isFinal(status: TaskStatus | undefined): boolean {
  return isFinalTaskStatus(status);
}

// How far the agent's own lifecycle got; anything else (no status, STAGING, or a state the
// controllers wrote while the agent was away: UNREACHABLE, UNKNOWN, LOST) may move anywhere.
const PROGRESS: Partial<Record<TaskState, number>> = {
  TASK_STARTING: 1,
  TASK_RUNNING: 2,
  TASK_KILLING: 3,
};

function progress(status: TaskStatus | undefined): number {
  return status?.state === undefined ? 0 : (PROGRESS[status.state] ?? 0);
}

/** StatusFields are what one transition sets; everything else of the old status is dropped. */
export type StatusFields = Pick<
  TaskStatus,
  'state' | 'reason' | 'source' | 'message' | 'healthy' | 'containerStatus' | 'limitation'
>;

function readyCondition(next: StatusFields, old: Condition | undefined, now: string): Condition {
  const ready = next.state === 'TASK_RUNNING' && next.healthy !== false;
  const status = ready ? 'True' : 'False';
  const reason = next.healthy === false ? 'Unhealthy' : (next.state ?? 'Unknown');
  return {
    type: 'Ready',
    status,
    reason,
    lastTransitionTime: old?.status === status ? old.lastTransitionTime : now,
  };
}

/** transition builds the status after a change to `fields`, or returns `current` if none. */
function transition(
  current: TaskStatus | undefined,
  fields: StatusFields,
  now: string,
): TaskStatus {
  const others = (current?.conditions ?? []).filter(c => c.type !== 'Ready');
  const ready = readyCondition(
    fields,
    current?.conditions?.find(c => c.type === 'Ready'),
    now,
  );
  const next: TaskStatus = {
    ...(current?.observedGeneration === undefined
      ? {}
      : { observedGeneration: current.observedGeneration }),
    ...withoutUndefined(fields),
    lastTransitionTime:
      current?.state === fields.state && current?.lastTransitionTime !== undefined
        ? current.lastTransitionTime
        : now,
    conditions: [...others, ready],
  };
  return isDeepStrictEqual(next, current) ? (current ?? next) : next;
}

function withoutUndefined(fields: StatusFields): StatusFields {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out;
}

function running(current: TaskStatus | undefined, obs: Observation & { type: 'running' }) {
  const containerStatus: ContainerStatus = {
    containerId: obs.containerId,
    ...(obs.pid === undefined || obs.pid <= 0 ? {} : { pid: obs.pid }),
  };
  const wasRunning = current?.state === 'TASK_RUNNING';
  const healthy = obs.healthy ?? (wasRunning ? current.healthy : undefined);
  const healthChanged = obs.healthy !== undefined && obs.healthy !== current?.healthy;
  // Mesos sends the first healthy and every unhealthy verdict with this reason
  const healthReason = healthChanged || (wasRunning && current.reason !== undefined);
  const fields: StatusFields = {
    state: 'TASK_RUNNING',
    source: 'SOURCE_EXECUTOR',
    containerStatus,
    ...(healthy === undefined ? {} : { healthy }),
    ...(healthReason ? { reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED' } : {}),
  };
  return fields;
}

/**
 * nextStatus is the Task status after `obs`. Final states (isFinal) never change; a state is
 * never followed by an earlier one (STARTING after RUNNING, RUNNING after KILLING); `healthy` is
 * only set on RUNNING, and on the TASK_KILLED of a task killed for failing its health check.
 * `now` is the RFC 3339 time used for lastTransitionTime when the state changes.
 */
export function nextStatus(
  current: TaskStatus | undefined,
  obs: Observation,
  now: string,
): TaskStatus {
  if (current !== undefined && isFinal(current)) return current;
  const at = progress(current);
  switch (obs.type) {
    case 'starting':
      if (at >= 1) return current ?? {};
      return transition(current, { state: 'TASK_STARTING', source: 'SOURCE_EXECUTOR' }, now);
    case 'running':
      if (at >= 3) return current ?? {};
      return transition(current, running(current, obs), now);
    case 'killing':
      if (at >= 3) return current ?? {};
      return transition(
        current,
        {
          state: 'TASK_KILLING',
          source: 'SOURCE_EXECUTOR',
          containerStatus: { ...current?.containerStatus, containerId: obs.containerId },
        },
        now,
      );
    case 'exited':
    case 'launchFailed':
    case 'killedBeforeLaunch':
    case 'vanished':
    case 'exitUnknown':
      return transition(current, terminalFields(obs), now);
    default:
      return assertNever(obs, 'observation');
  }
}
