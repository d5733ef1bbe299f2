// Operation: a RESERVE, UNRESERVE, CREATE, DESTROY, GROW/SHRINK_VOLUME or CREATE/DESTROY_DISK and
// its feedback (mesos-features §2–§4, §10).
import type { CorralApiVersion } from './group.ts';
import type { Condition, KubeObject } from './meta.ts';
import type { Quantity, ResourceItem } from './resources.ts';

/** OPERATION_TYPES lists the operations that have an Operation object (not LAUNCH). */
export const OPERATION_TYPES = [
  'RESERVE',
  'UNRESERVE',
  'CREATE',
  'DESTROY',
  'GROW_VOLUME',
  'SHRINK_VOLUME',
  'CREATE_DISK',
  'DESTROY_DISK',
] as const;

/** OperationType is one resource operation. */
export type OperationType = (typeof OPERATION_TYPES)[number];

/** DISK_TARGET_TYPES lists what CREATE_DISK can make. */
export const DISK_TARGET_TYPES = ['MOUNT', 'BLOCK'] as const;

/** DiskTargetType is the disk type CREATE_DISK makes from a RAW disk. */
export type DiskTargetType = (typeof DISK_TARGET_TYPES)[number];

/**
 * OperationPayload holds one member per operation type (Mesos Offer.Operation); exactly the one
 * named after the type is set.
 */
export interface OperationPayload {
  reserve?: { resources: ResourceItem[] };
  unreserve?: { resources: ResourceItem[] };
  create?: { volumes: ResourceItem[] };
  destroy?: { volumes: ResourceItem[] };
  growVolume?: { volume: ResourceItem; addition: ResourceItem };
  shrinkVolume?: { volume: ResourceItem; subtract: Quantity };
  createDisk?: { source: ResourceItem; targetType: DiskTargetType; targetProfile?: string };
  destroyDisk?: { source: ResourceItem };
}

/** PAYLOAD_FIELD maps each operation type to its OperationPayload member. */
export const PAYLOAD_FIELD: Readonly<Record<OperationType, keyof OperationPayload>> = {
  RESERVE: 'reserve',
  UNRESERVE: 'unreserve',
  CREATE: 'create',
  DESTROY: 'destroy',
  GROW_VOLUME: 'growVolume',
  SHRINK_VOLUME: 'shrinkVolume',
  CREATE_DISK: 'createDisk',
  DESTROY_DISK: 'destroyDisk',
};

/**
 * ReserveUpdate is an Operation's RESERVE with Mesos 1.10's `source` (RESERVE_RESOURCES with a
 * source, MESOS-9981): the reservations of `source` are rewritten to those of `resources`, popping
 * to their common ancestor and pushing the rest. Only an operator's Operation carries a source
 * (Mesos refuses reservation updates from schedulers, so an offer answer cannot spell one); the
 * reservation controller sends one when the update moves persistent volumes, whose directories
 * the agent then renames from the old role's path to the new one's.
 */
export interface ReserveUpdate {
  resources: ResourceItem[];
  /** source is the resources as they are now: one reservation stack, the same quantities. */
  source?: ResourceItem[];
}

/** OperationSpec is the operation, where it applies and who asked for it. */
export interface OperationSpec extends OperationPayload {
  type: OperationType;
  reserve?: ReserveUpdate;
  agent: string;
  /** Absent for an operator's operation. */
  framework?: string;
  offer?: string;
  resourceProvider?: string;
}

/** OPERATION_STATES lists Mesos OperationState (without the OPERATION_UNSUPPORTED default). */
export const OPERATION_STATES = [
  'OPERATION_PENDING',
  'OPERATION_FINISHED',
  'OPERATION_FAILED',
  'OPERATION_ERROR',
  'OPERATION_DROPPED',
  'OPERATION_UNREACHABLE',
  'OPERATION_GONE_BY_OPERATOR',
  'OPERATION_RECOVERING',
  'OPERATION_UNKNOWN',
] as const;

/** OperationState is a Mesos operation feedback state. */
export type OperationState = (typeof OPERATION_STATES)[number];

/** OperationStatus is Mesos OperationStatus: the latest state and, once finished, the result. */
export interface OperationStatus {
  observedGeneration?: number;
  conditions?: Condition[];
  state?: OperationState;
  message?: string;
  lastTransitionTime?: string;
  convertedResources?: ResourceItem[];
}

/** Operation is one resource operation with feedback (namespaced). */
export interface Operation extends KubeObject {
  apiVersion: CorralApiVersion;
  kind: 'Operation';
  spec: OperationSpec;
  status?: OperationStatus;
}
