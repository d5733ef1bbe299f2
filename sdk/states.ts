// Task and operation states as a framework sees them (mesos-features §4.2, §5.1), and the marks a
// framework reads and writes on records: core/framework's, the same the controllers use.
export {
  ACKNOWLEDGED_ANNOTATION,
  REJECTED_ANNOTATION,
  REVIVE_ANNOTATION,
  TASK_ID_ANNOTATION,
  hasFeedback,
  isAcknowledged,
  isReliableOperationState,
  isTerminalOperationState,
  isTerminalTask,
  isTerminalTaskState,
  needsAcknowledgement,
  taskIdOf,
} from '../core/framework/index.ts';
