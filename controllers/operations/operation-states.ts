// Operation feedback states (mesos-features §4.2) and the marks frameworks and controllers put on
// Operation records, as core/framework defines them for every side.
export {
  ACKNOWLEDGED_ANNOTATION,
  TERMINAL_OPERATION_STATES,
  UNRELIABLE_OPERATION_STATES as UNRELIABLE_STATES,
  hasFeedback,
  isAcknowledged,
  isTerminalOperation,
} from '../../core/framework/index.ts';
