// The framework SDK: register a Framework, receive and answer Offers, follow Tasks and
// Operations, suppress and revive, reconcile after a restart (docs/frameworks.md).
export type { ConnectOptions } from './connect.ts';
export { connect } from './connect.ts';
export type {
  DriverOptions,
  HeartbeatConfig,
  Reconciliation,
  StopOptions,
  TeardownOptions,
} from './driver.ts';
export { FrameworkDriver } from './driver.ts';
export type { Awaitable, RegisteredInfo, Scheduler } from './scheduler.ts';
export type { OfferRescindedReason } from './errors.ts';
export { FrameworkFailedOver, OfferRescinded, isOfferRescinded } from './errors.ts';
export { DEFAULT_HEARTBEAT_INTERVAL_MS } from './heartbeat.ts';
export { acceptResponse, answerPatch, declineResponse } from './answer.ts';
export type {
  CreateDiskOptions,
  FeedbackOptions,
  ReservationOptions,
  VolumeOptions,
} from './operations.ts';
export {
  createDisk,
  createVolume,
  createVolumes,
  destroyDisk,
  destroyVolume,
  growVolume,
  launch,
  launchGroup,
  reservationInfo,
  reserve,
  reservedAs,
  reservedBy,
  shrinkVolume,
  unreserve,
  volumeOf,
} from './operations.ts';
export type { Packing, PickOptions, ResourceInput } from './resources.ts';
export {
  fits,
  offerResources,
  offersWithEnough,
  packTasks,
  pickResources,
  resourcesFromText,
  toResources,
} from './resources.ts';
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
} from './states.ts';
export { revivePatch, suppressPatch } from './suppression.ts';
export { withActive } from './registration.ts';
export { ACTIVE_CONDITION } from '../core/framework/index.ts';
export type { DriverApis, DriverSources, KindApi, Source } from './ports.ts';
