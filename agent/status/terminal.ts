// The terminal state, reason and message each ending of a container gets (mesos-features §5.1,
// docs/task-state-reasons.md): a clean exit is TASK_FINISHED; a non-zero exit TASK_FAILED with
// REASON_COMMAND_EXECUTOR_FAILED; an OOM kill REASON_CONTAINER_LIMITATION_MEMORY; a limit the
// isolators caught their own reason; a kill the framework asked for TASK_KILLED.
import type { ContainerStatus } from '../../core/types/task.ts';
import { assertNever } from '../../core/util/assert-never.ts';
import type { KillCause, Observation } from './observation.ts';
import { describeExit } from './observation.ts';
import type { StatusFields } from './transitions.ts';

type Terminal = Extract<
  Observation,
  { type: 'exited' | 'launchFailed' | 'killedBeforeLaunch' | 'vanished' | 'exitUnknown' }
>;

function byCause(cause: KillCause, message: string, cs: ContainerStatus): StatusFields {
  switch (cause.kind) {
    case 'deleted':
      return { state: 'TASK_KILLED', source: 'SOURCE_EXECUTOR', message, containerStatus: cs };
    case 'limitation':
      return {
        state: 'TASK_FAILED',
        reason: cause.reason,
        source: 'SOURCE_AGENT',
        message: cause.message,
        containerStatus: cs,
        limitation: { resources: cause.resources },
      };
    case 'unhealthy':
      return {
        state: 'TASK_KILLED',
        reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED',
        source: 'SOURCE_EXECUTOR',
        message: cause.message,
        healthy: false,
        containerStatus: cs,
      };
    case 'maxCompletion':
      return {
        state: 'TASK_FAILED',
        reason: 'REASON_MAX_COMPLETION_TIME_REACHED',
        source: 'SOURCE_AGENT',
        message: `Task still running after its max completion time of ${cause.seconds}s`,
        containerStatus: cs,
      };
    default:
      return assertNever(cause, 'kill cause');
  }
}

function exited(obs: Terminal & { type: 'exited' }): StatusFields {
  const { exit } = obs;
  const cs: ContainerStatus = { containerId: obs.containerId, exitCode: exit.exitCode };
  const message = describeExit(exit);
  if (obs.cause !== undefined) return byCause(obs.cause, message, cs);
  if (exit.oomKilled) {
    return {
      state: 'TASK_FAILED',
      reason: 'REASON_CONTAINER_LIMITATION_MEMORY',
      source: 'SOURCE_AGENT',
      message: `Memory limit exceeded: ${message}`,
      containerStatus: cs,
    };
  }
  if (exit.exitCode === 0) {
    return { state: 'TASK_FINISHED', source: 'SOURCE_EXECUTOR', message, containerStatus: cs };
  }
  return {
    state: 'TASK_FAILED',
    reason: 'REASON_COMMAND_EXECUTOR_FAILED',
    source: 'SOURCE_EXECUTOR',
    message,
    containerStatus: cs,
  };
}

/** terminalFields is the final status of a container's ending. */
export function terminalFields(obs: Terminal): StatusFields {
  switch (obs.type) {
    case 'exited':
      return exited(obs);
    case 'launchFailed':
      return {
        state: 'TASK_FAILED',
        reason: 'REASON_CONTAINER_LAUNCH_FAILED',
        source: 'SOURCE_AGENT',
        message: obs.message,
        ...(obs.containerId === undefined
          ? {}
          : { containerStatus: { containerId: obs.containerId } }),
      };
    case 'killedBeforeLaunch':
      return {
        state: 'TASK_KILLED',
        reason: 'REASON_TASK_KILLED_DURING_LAUNCH',
        source: 'SOURCE_AGENT',
        message: 'Task killed before its container was launched',
      };
    case 'vanished':
      return {
        state: 'TASK_LOST',
        reason: 'REASON_AGENT_RESTARTED',
        source: 'SOURCE_AGENT',
        message: obs.message,
        containerStatus: { containerId: obs.containerId },
      };
    case 'exitUnknown':
      return {
        state: 'TASK_FAILED',
        reason: 'REASON_EXECUTOR_TERMINATED',
        source: 'SOURCE_AGENT',
        message: obs.message,
        containerStatus: { containerId: obs.containerId },
      };
    default:
      return assertNever(obs, 'terminal observation');
  }
}
