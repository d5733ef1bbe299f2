import { expect } from 'chai';
import { OPERATION_STATES, TASK_STATES } from '../../../core/types/index.ts';
import {
  ACKNOWLEDGED_ANNOTATION,
  REVIVE_ANNOTATION,
  isReliableOperationState,
  isTerminalOperationState,
  isTerminalTaskState,
  needsAcknowledgement,
} from '../../../sdk/index.ts';
import { REVIVE_ANNOTATION as ALLOCATOR_REVIVE } from '../../../controllers/allocator/api-adapter.ts';
import { TERMINAL_TASK_STATES } from '../../../controllers/offers/engine/index.ts';
import {
  ACKNOWLEDGED_ANNOTATION as CONTROLLER_ACK,
  TERMINAL_OPERATION_STATES,
  UNRELIABLE_STATES,
} from '../../../controllers/operations/index.ts';
import { operation } from './builders.ts';

// The SDK may not import controllers/, so it repeats their names; these tests keep them equal.
describe('sdk states and marks agree with the controllers', () => {
  it('uses the annotations the allocator and the operation controller read', () => {
    expect(REVIVE_ANNOTATION).to.equal(ALLOCATOR_REVIVE);
    expect(ACKNOWLEDGED_ANNOTATION).to.equal(CONTROLLER_ACK);
  });

  it('calls the same task states terminal as the offer controller', () => {
    for (const s of TASK_STATES)
      expect(isTerminalTaskState(s), s).to.equal(TERMINAL_TASK_STATES.has(s));
  });

  it('calls the same operation states terminal and unreliable as the operation controller', () => {
    for (const s of OPERATION_STATES) {
      expect(isTerminalOperationState(s), s).to.equal(TERMINAL_OPERATION_STATES.has(s));
      expect(isReliableOperationState(s), s).to.equal(!UNRELIABLE_STATES.has(s));
    }
  });

  it('needs an acknowledgement only for a terminal, reliable, unacknowledged operation', () => {
    expect(needsAcknowledgement(operation('a', 'OPERATION_FINISHED'))).to.equal(true);
    expect(needsAcknowledgement(operation('a', 'OPERATION_PENDING'))).to.equal(false);
    expect(needsAcknowledgement(operation('a', 'OPERATION_DROPPED'))).to.equal(false);
    const acked = operation('a', 'OPERATION_FAILED');
    acked.metadata.annotations = { [ACKNOWLEDGED_ANNOTATION]: 'true' };
    expect(needsAcknowledgement(acked)).to.equal(false);
  });
});
