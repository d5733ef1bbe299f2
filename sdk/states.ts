// Task and operation states as a framework sees them (mesos-features §4.2, §5.1), and the marks a
// framework writes on records. The controllers keep their own copies of these names; the SDK may
// import only core/, so they are repeated here and pinned by test/unit/sdk/states.test.ts.
import type { Operation, OperationState, Task, TaskState } from '../core/types/index.ts';
import { assertNever } from '../core/util/assert-never.ts';

/**
 * ACKNOWLEDGED_ANNOTATION on an Operation acknowledges its terminal status (Mesos
 * ACKNOWLEDGE_OPERATION_STATUS); the operation controller then collects the record.
 */
export const ACKNOWLEDGED_ANNOTATION = 'corral.dev/acknowledged';

/** REVIVE_ANNOTATION on a Framework: a new value is Mesos REVIVE (the allocator clears filters). */
export const REVIVE_ANNOTATION = 'corral.dev/revive';

/**
 * isTerminalTaskState is Mesos's isTerminalState: the task holds nothing any more. TASK_LOST
 * counts, as in Mesos, although an agent that comes back may still report the task running.
 */
export function isTerminalTaskState(state: TaskState): boolean {
  switch (state) {
    case 'TASK_FINISHED':
    case 'TASK_FAILED':
    case 'TASK_KILLED':
    case 'TASK_ERROR':
    case 'TASK_LOST':
    case 'TASK_DROPPED':
    case 'TASK_GONE':
    case 'TASK_GONE_BY_OPERATOR':
      return true;
    case 'TASK_STAGING':
    case 'TASK_STARTING':
    case 'TASK_RUNNING':
    case 'TASK_KILLING':
    case 'TASK_UNREACHABLE':
    case 'TASK_UNKNOWN':
      return false;
    default:
      return assertNever(state, 'task state');
  }
}

/** isTerminalTask is true once the Task's reported state is terminal. */
export function isTerminalTask(task: Task): boolean {
  const s = task.status?.state;
  return s !== undefined && isTerminalTaskState(s);
}

/**
 * isTerminalOperationState is true for a state that will not change; GONE_BY_OPERATOR is terminal
 * "if the operator is right", and Corral treats it so.
 */
export function isTerminalOperationState(state: OperationState): boolean {
  switch (state) {
    case 'OPERATION_FINISHED':
    case 'OPERATION_FAILED':
    case 'OPERATION_ERROR':
    case 'OPERATION_DROPPED':
    case 'OPERATION_GONE_BY_OPERATOR':
      return true;
    case 'OPERATION_PENDING':
    case 'OPERATION_UNREACHABLE':
    case 'OPERATION_RECOVERING':
    case 'OPERATION_UNKNOWN':
      return false;
    default:
      return assertNever(state, 'operation state');
  }
}

/**
 * isReliableOperationState: Mesos sends ERROR and DROPPED without a uuid, so nobody acknowledges
 * them (the controller collects them on its own); every other state is acknowledged.
 */
export function isReliableOperationState(state: OperationState): boolean {
  return state !== 'OPERATION_ERROR' && state !== 'OPERATION_DROPPED';
}

/** isAcknowledged is true when the framework already acknowledged the operation. */
export function isAcknowledged(op: Operation): boolean {
  return op.metadata.annotations?.[ACKNOWLEDGED_ANNOTATION] === 'true';
}

/**
 * needsAcknowledgement is true for an Operation in a terminal, reliable state that the framework
 * has not acknowledged yet: the record stays until it does.
 */
export function needsAcknowledgement(op: Operation): boolean {
  const s = op.status?.state;
  return (
    s !== undefined &&
    isTerminalOperationState(s) &&
    isReliableOperationState(s) &&
    !isAcknowledged(op)
  );
}
