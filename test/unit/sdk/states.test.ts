import { expect } from 'chai';
import * as shared from '../../../core/framework/index.ts';
import { OPERATION_STATES, TASK_STATES } from '../../../core/types/index.ts';
import {
  ACKNOWLEDGED_ANNOTATION,
  REVIVE_ANNOTATION,
  isReliableOperationState,
  isTerminalOperationState,
  isTerminalTaskState,
  needsAcknowledgement,
  taskIdOf,
} from '../../../sdk/index.ts';
import { REVIVE_ANNOTATION as ALLOCATOR_REVIVE } from '../../../controllers/allocator/api-adapter.ts';
import { TERMINAL_TASK_STATES } from '../../../controllers/offers/engine/index.ts';
import {
  ACKNOWLEDGED_ANNOTATION as CONTROLLER_ACK,
  TERMINAL_OPERATION_STATES,
  UNRELIABLE_STATES,
} from '../../../controllers/operations/index.ts';
import { operation, task } from './builders.ts';

// The SDK and the controllers take their states and marks from core/framework; the allocator
// still spells its revive annotation itself.
describe('sdk states and marks agree with the controllers (core/framework)', () => {
  it('uses the annotations the allocator and the operation controller read', () => {
    expect(REVIVE_ANNOTATION).to.equal(ALLOCATOR_REVIVE);
    expect(ACKNOWLEDGED_ANNOTATION).to.equal(CONTROLLER_ACK);
  });

  it('calls the same task states terminal as the offer controller', () => {
    expect(TERMINAL_TASK_STATES).to.equal(shared.TERMINAL_TASK_STATES);
    for (const s of TASK_STATES)
      expect(isTerminalTaskState(s), s).to.equal(TERMINAL_TASK_STATES.has(s));
    expect([...TERMINAL_TASK_STATES]).to.have.members([
      'TASK_FINISHED',
      'TASK_FAILED',
      'TASK_KILLED',
      'TASK_ERROR',
      'TASK_LOST',
      'TASK_DROPPED',
      'TASK_GONE',
      'TASK_GONE_BY_OPERATOR',
    ]);
  });

  it('calls the same operation states terminal and unreliable as the operation controller', () => {
    for (const s of OPERATION_STATES) {
      expect(isTerminalOperationState(s), s).to.equal(TERMINAL_OPERATION_STATES.has(s));
      expect(isReliableOperationState(s), s).to.equal(!UNRELIABLE_STATES.has(s));
    }
    expect([...UNRELIABLE_STATES]).to.have.members(['OPERATION_ERROR', 'OPERATION_DROPPED']);
  });

  it('needs an acknowledgement only for a terminal, reliable, unacknowledged feedback operation', () => {
    expect(needsAcknowledgement(operation('a', 'OPERATION_FINISHED'))).to.equal(true);
    expect(needsAcknowledgement(operation('a', 'OPERATION_PENDING'))).to.equal(false);
    expect(needsAcknowledgement(operation('a', 'OPERATION_DROPPED'))).to.equal(false);
    const acked = operation('a', 'OPERATION_FAILED');
    acked.metadata.annotations = { [ACKNOWLEDGED_ANNOTATION]: 'true' };
    expect(needsAcknowledgement(acked)).to.equal(false);
    const agentOnly = operation('a', 'OPERATION_FINISHED');
    agentOnly.metadata.labels = { [shared.NO_FEEDBACK_LABEL]: 'true' };
    expect(needsAcknowledgement(agentOnly)).to.equal(false);
  });

  it('taskIdOf reads the task id a stand-in reports on, and a Task’s own name otherwise', () => {
    const standIn = task('offer-1-rejected0-db-0123456789', 'TASK_ERROR');
    standIn.metadata.annotations = { [shared.TASK_ID_ANNOTATION]: 'db' };
    expect(taskIdOf(standIn)).to.equal('db');
    expect(taskIdOf(task('web', 'TASK_RUNNING'))).to.equal('web');
  });
});
