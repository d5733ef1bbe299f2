// Task and operation states as Mesos classifies them (mesos-features §4.2, §5.1): which are
// terminal, which are sent reliably. The controllers and the framework SDK both read them here.
import type { Operation, OperationState } from '../types/operation.ts';
import { OPERATION_STATES } from '../types/operation.ts';
import type { Task, TaskState } from '../types/task.ts';
import { TASK_STATES } from '../types/task.ts';
import { assertNever } from '../util/assert-never.ts';

/**
 * isTerminalTaskState is Mesos's isTerminalState. TASK_LOST counts, as in Mesos, although an
 * agent that comes back may still report the task running: whether a task still holds its
 * resources is holdsResources's to say (holding.ts), not this.
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

/** TERMINAL_TASK_STATES are Mesos's terminal task states (isTerminalTaskState). */
export const TERMINAL_TASK_STATES: ReadonlySet<TaskState> = new Set(
  TASK_STATES.filter(isTerminalTaskState),
);

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

/** TERMINAL_OPERATION_STATES are the operation states that never change (above). */
export const TERMINAL_OPERATION_STATES: ReadonlySet<OperationState> = new Set(
  OPERATION_STATES.filter(isTerminalOperationState),
);

/**
 * isReliableOperationState: Mesos sends ERROR and DROPPED without a uuid, so nobody acknowledges
 * them (the controller collects them on its own); every other state is acknowledged.
 */
export function isReliableOperationState(state: OperationState): boolean {
  return state !== 'OPERATION_ERROR' && state !== 'OPERATION_DROPPED';
}

/** UNRELIABLE_OPERATION_STATES are the terminal states nobody acknowledges (ERROR, DROPPED). */
export const UNRELIABLE_OPERATION_STATES: ReadonlySet<OperationState> = new Set(
  OPERATION_STATES.filter(s => !isReliableOperationState(s)),
);

/** isTerminalOperation is true once the operation's state can no longer change. */
export function isTerminalOperation(op: Operation): boolean {
  const s = op.status?.state;
  return s !== undefined && isTerminalOperationState(s);
}
