// The outcome of carrying out one Operation on the agent: what its confirmation reports.
import type { OperationState } from '../../core/types/operation.ts';

/** OperationOutcome is the feedback state to report and its message. */
export interface OperationOutcome {
  readonly state: Extract<OperationState, 'OPERATION_FINISHED' | 'OPERATION_FAILED'>;
  readonly message: string;
}

/** finished is an operation carried out. */
export const finished = (message: string): OperationOutcome => ({
  state: 'OPERATION_FINISHED',
  message,
});

/** failed is an operation refused or broken off; the message says why. */
export const failed = (message: string): OperationOutcome => ({
  state: 'OPERATION_FAILED',
  message,
});
