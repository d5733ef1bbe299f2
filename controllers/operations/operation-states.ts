// Operation feedback states (mesos-features §4.2) and the marks frameworks and controllers put on
// Operation records.
import type { Operation, OperationState } from '../../core/types/index.ts';

/**
 * TERMINAL_OPERATION_STATES are Mesos's terminal operation states; GONE_BY_OPERATOR is terminal
 * "if the operator is right", and Corral treats it as terminal.
 */
export const TERMINAL_OPERATION_STATES: ReadonlySet<OperationState> = new Set<OperationState>([
  'OPERATION_FINISHED',
  'OPERATION_FAILED',
  'OPERATION_ERROR',
  'OPERATION_DROPPED',
  'OPERATION_GONE_BY_OPERATOR',
]);

/**
 * UNRELIABLE_STATES are terminal states Mesos sends without a uuid: nobody acknowledges them,
 * so their records are collected without an acknowledgement.
 */
export const UNRELIABLE_STATES: ReadonlySet<OperationState> = new Set<OperationState>([
  'OPERATION_ERROR',
  'OPERATION_DROPPED',
]);

/**
 * ACKNOWLEDGED_ANNOTATION is how a framework acknowledges an Operation's terminal status (Mesos
 * ACKNOWLEDGE_OPERATION_STATUS): set it to "true". The Operation schema has no field for it.
 */
export const ACKNOWLEDGED_ANNOTATION = 'corral.dev/acknowledged';

/** isTerminalOperation is true once the operation's state can no longer change. */
export function isTerminalOperation(op: Operation): boolean {
  const s = op.status?.state;
  return s !== undefined && TERMINAL_OPERATION_STATES.has(s);
}

/** isAcknowledged is true when the framework acknowledged the operation's status. */
export function isAcknowledged(op: Operation): boolean {
  return op.metadata.annotations?.[ACKNOWLEDGED_ANNOTATION] === 'true';
}
