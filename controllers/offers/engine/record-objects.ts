// The API objects an answer creates, built from exact resources. Status is included where Mesos
// starts the object in a state (a Task in TASK_STAGING, an Operation in OPERATION_PENDING); the
// controller writes it through `/status` after the create.
import type { Resource, Resources } from '../../../core/resources/index.ts';
import {
  renderResource,
  renderResourceList,
  reservationRole,
} from '../../../core/resources/index.ts';
import type {
  OfferOperation,
  Operation,
  OperationSpec,
  OperationType,
  Reservation,
  Task,
  TaskSpec,
  TaskStatus,
  TaskTemplate,
  Volume,
} from '../../../core/types/index.ts';
import { CORRAL_API_VERSION, PAYLOAD_FIELD } from '../../../core/types/index.ts';
import type { OperationResult } from './types.ts';

/** ORIGIN_ANNOTATION holds the key of the offer whose answer created or last edited a record. */
export const ORIGIN_ANNOTATION = 'corral.dev/origin';

/**
 * REJECTED_ANNOTATION marks a Task created only to report TASK_ERROR: the agent must never run
 * it, even before its status is written.
 */
export const REJECTED_ANNOTATION = 'corral.dev/rejected';

/** Where is the offer's identity and placement every record carries. */
export interface Where {
  readonly origin: string;
  readonly offer: string;
  readonly namespace: string;
  readonly agent: string;
  readonly framework: string;
  readonly role: string;
  readonly now: string;
}

/** reservationObject is a Reservation record holding `resources` (all reserved for one role). */
export function reservationObject(w: Where, name: string, resources: Resources): Reservation {
  const [first] = resources;
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Reservation',
    metadata: { name, annotations: { [ORIGIN_ANNOTATION]: w.origin } },
    spec: {
      agent: w.agent,
      role: first === undefined ? w.role : (reservationRole(first) ?? w.role),
      resources: renderResourceList(resources),
    },
  };
}

/** volumeObject is a Volume record for one persistent volume. */
export function volumeObject(w: Where, name: string, volume: Resource): Volume {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Volume',
    metadata: { name, annotations: { [ORIGIN_ANNOTATION]: w.origin } },
    spec: {
      agent: w.agent,
      role: reservationRole(volume) ?? w.role,
      resource: renderResource(volume),
    },
  };
}

/**
 * operationObject is the Operation record of an operation with an id (its feedback), in the
 * framework's namespace, carrying the payload as the framework wrote it.
 */
export function operationObject(w: Where, op: OfferOperation, result: OperationResult): Operation {
  const type: OperationType = result.type;
  const member = PAYLOAD_FIELD[type];
  const spec: OperationSpec = {
    type,
    agent: w.agent,
    framework: w.framework,
    offer: w.offer,
    ...(op[member] === undefined ? {} : { [member]: op[member] }),
  };
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Operation',
    metadata: {
      name: result.id ?? '',
      namespace: w.namespace,
      annotations: { [ORIGIN_ANNOTATION]: w.origin },
    },
    spec,
    status: {
      state: result.state,
      lastTransitionTime: w.now,
      ...(result.message === undefined ? {} : { message: result.message }),
    },
  };
}

/** TaskPlacement is where a task runs and what it holds; absent resources mark a rejected task. */
export interface TaskPlacement {
  readonly template: TaskTemplate;
  readonly group?: string;
  readonly resources?: Resources;
  readonly status: TaskStatus;
}

/** taskObject is a Task bound to the agent, in the framework's namespace. */
export function taskObject(w: Where, p: TaskPlacement): Task {
  const spec: TaskSpec = {
    ...p.template.spec,
    agent: w.agent,
    framework: w.framework,
    role: w.role,
    offer: w.offer,
    ...(p.group === undefined ? {} : { group: p.group }),
    ...(p.resources === undefined ? {} : { allocatedResources: renderResourceList(p.resources) }),
  };
  const annotations: Record<string, string> = { [ORIGIN_ANNOTATION]: w.origin };
  if (p.resources === undefined) annotations[REJECTED_ANNOTATION] = 'true';
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Task',
    metadata: {
      name: p.template.name,
      namespace: w.namespace,
      ...(p.template.labels === undefined ? {} : { labels: { ...p.template.labels } }),
      annotations,
    },
    spec,
    status: { ...p.status, lastTransitionTime: w.now },
  };
}
