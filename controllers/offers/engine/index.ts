// The offer engine: an Offer's answer, and an operator's Reservation and Volume changes, applied
// exactly as Mesos's master applies them, as pure functions over plain values.
export type { AgentObjects } from './agent-state.ts';
export { agentStateFrom } from './agent-state.ts';
// The shared state sets and marks, for the controllers that reach them through the engine.
export {
  ORIGIN_ANNOTATION,
  REJECTED_ANNOTATION,
  TERMINAL_TASK_STATES,
} from '../../../core/framework/index.ts';
export type { AnswerInput } from './apply-answer.ts';
export { applyAnswer } from './apply-answer.ts';
export type { Conversion as ResourceConversion } from './types.ts';
export {
  DEFAULT_REFUSE_SECONDS,
  MAX_REFUSE_SECONDS,
  declinePlan,
  offerRef,
  offeredResources,
  refuseFilter,
  refuseSeconds,
} from './filters.ts';
export { frameworkViewFrom } from './framework-view.ts';
export { indexRecords, isAlreadyApplied, isChangeApplied, missingChanges } from './idempotency.ts';
export type { RecordKind } from './names.ts';
export { createdNames, isObjectName, offerKey, recordName, volumeRecordName } from './names.ts';
export type { ChangeAction, ChangePlan, ChangeStep, MovedVolume } from './operator-common.ts';
export { planReservationChange } from './operator-reservation.ts';
export { planVolumeChange } from './operator-volume.ts';
export { pickResources } from '../../../core/resources/index.ts';
export { duplicateIdStatus, rejectedStandIn, statusToWrite } from './record-objects.ts';
export type * from './types.ts';
