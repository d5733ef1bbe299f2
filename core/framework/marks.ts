// The marks controllers and frameworks put on records (annotations and labels) and what they mean,
// defined once for every side that reads or writes them: the controllers, the agent, the SDK.
import type { Operation } from '../types/operation.ts';
import type { Task } from '../types/task.ts';
import { isReliableOperationState, isTerminalOperationState } from './states.ts';

/**
 * ORIGIN_ANNOTATION says who planned a record: on a Reservation, Volume, Task or Operation the
 * offer controller made, the key of the offer whose answer created or last edited it; on an
 * operator's Operation (in `corral-system`), the Reservation or Volume whose change it carries
 * to the agent (`<Kind>/<name>/<uid>`). An Operation made with neither it nor a status was planned
 * by nobody, and the operation controller refuses it (OPERATION_ERROR).
 */
export const ORIGIN_ANNOTATION = 'corral.dev/origin';

/**
 * REJECTED_ANNOTATION marks a Task or Operation the offer controller created only to report
 * TASK_ERROR or OPERATION_ERROR: no agent acts on it, even before its status is written.
 */
export const REJECTED_ANNOTATION = 'corral.dev/rejected';

/**
 * TASK_ID_ANNOTATION on a Task names the task (the LAUNCH task's `name`, Mesos TaskID) it reports
 * on, when the record could not be named after it because another Task holds that name.
 */
export const TASK_ID_ANNOTATION = 'corral.dev/task-id';

/**
 * NO_FEEDBACK_LABEL marks the Operation of an operation accepted without an `id`: it exists so
 * that the agent applies the operation, but Mesos sends no feedback for it, so it is not the
 * framework's to list (reconciliation) or acknowledge, and it is collected once terminal.
 */
export const NO_FEEDBACK_LABEL = 'corral.dev/no-feedback';

/** FEEDBACK_SELECTOR is the label selector of the Operations that are a framework's feedback. */
export const FEEDBACK_SELECTOR = `!${NO_FEEDBACK_LABEL}`;

/**
 * ACKNOWLEDGED_ANNOTATION on an Operation acknowledges its terminal status (Mesos
 * ACKNOWLEDGE_OPERATION_STATUS) when set to "true"; the operation controller then collects it.
 */
export const ACKNOWLEDGED_ANNOTATION = 'corral.dev/acknowledged';

/** REVIVE_ANNOTATION on a Framework: a new value is Mesos REVIVE (the allocator clears filters). */
export const REVIVE_ANNOTATION = 'corral.dev/revive';

/** isAcknowledged is true when the framework acknowledged the operation's status. */
export function isAcknowledged(op: Operation): boolean {
  return op.metadata.annotations?.[ACKNOWLEDGED_ANNOTATION] === 'true';
}

/** hasFeedback is true for an Operation that is its framework's feedback (it had an `id`). */
export function hasFeedback(op: Operation): boolean {
  return op.metadata.labels?.[NO_FEEDBACK_LABEL] === undefined;
}

/**
 * needsAcknowledgement is true for a feedback Operation in a terminal, reliable state that the
 * framework has not acknowledged yet: the record stays until it does.
 */
export function needsAcknowledgement(op: Operation): boolean {
  const s = op.status?.state;
  return (
    s !== undefined &&
    isTerminalOperationState(s) &&
    isReliableOperationState(s) &&
    hasFeedback(op) &&
    !isAcknowledged(op)
  );
}

/** taskIdOf is the task id a Task reports on: its TASK_ID_ANNOTATION, else its name. */
export function taskIdOf(task: Task): string {
  return task.metadata.annotations?.[TASK_ID_ANNOTATION] ?? task.metadata.name ?? '';
}
