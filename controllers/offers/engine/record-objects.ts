// The API objects an answer creates, built from exact resources. Status is included where Mesos
// starts the object in a state (a Task in TASK_STAGING, an Operation in OPERATION_PENDING). The
// API server gives every Task it creates TASK_STAGING itself (api/registry/task-initial-status.ts),
// so of those the controller writes through `/status` after the create only the others
// (statusToWrite): an Operation's first state, a rejected Task's TASK_ERROR. A launched Task is
// created holding the agent's finalizer, so the agent's first write is already its RUNNING.
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
import {
  NO_FEEDBACK_LABEL,
  ORIGIN_ANNOTATION,
  REJECTED_ANNOTATION,
  TASK_ID_ANNOTATION,
} from '../../../core/framework/index.ts';
import { AGENT_FINALIZER, CORRAL_API_VERSION, PAYLOAD_FIELD } from '../../../core/types/index.ts';
import { assertNever } from '../../../core/util/assert-never.ts';
import type { CreatedObject, OperationResult } from './types.ts';

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

/** OperationRecord is how an operation ended and whether its record is the framework's feedback. */
export interface OperationRecord {
  /** result names the record (`id`) and holds its first state. */
  readonly result: OperationResult;
  /** feedback is false for an operation without id: the record is only for the agent. */
  readonly feedback: boolean;
}

/**
 * operationObject is the Operation record of an operation, in the framework's namespace, carrying
 * the payload as the framework wrote it; one without feedback carries NO_FEEDBACK_LABEL.
 */
export function operationObject(w: Where, op: OfferOperation, rec: OperationRecord): Operation {
  const { result } = rec;
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
      ...(rec.feedback ? {} : { labels: { [NO_FEEDBACK_LABEL]: 'true' } }),
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

/**
 * taskObject is a Task bound to the agent, in the framework's namespace. A launched one (it holds
 * resources) carries the agent's finalizer from its create; a rejected one carries none, since no
 * agent ever acts on it.
 */
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
      ...(p.resources === undefined ? {} : { finalizers: [AGENT_FINALIZER] }),
    },
    spec,
    status: { ...p.status, lastTransitionTime: w.now },
  };
}

/**
 * rejectedStandIn is the Task that reports a task's TASK_ERROR when the task's own name is held
 * by another Task (Mesos: "Task has duplicate ID"): named `name`, marked rejected (no agent runs
 * it) and with TASK_ID_ANNOTATION naming the task, holding nothing, in `status` (absent: the
 * task's own, when it was rejected already). It drops the agent's finalizer a launched task
 * carries: no agent would ever release it.
 */
export function rejectedStandIn(task: Task, name: string, status?: TaskStatus): Task {
  const spec: TaskSpec = { ...task.spec };
  delete spec.allocatedResources;
  delete spec.group;
  const metadata = { ...task.metadata };
  const finalizers = (metadata.finalizers ?? []).filter(f => f !== AGENT_FINALIZER);
  if (finalizers.length === 0) delete metadata.finalizers;
  else metadata.finalizers = finalizers;
  return {
    ...task,
    metadata: {
      ...metadata,
      name,
      annotations: {
        ...task.metadata.annotations,
        [REJECTED_ANNOTATION]: 'true',
        [TASK_ID_ANNOTATION]: task.metadata.name ?? '',
      },
    },
    spec,
    ...(status === undefined ? {} : { status }),
  };
}

/**
 * duplicateIdStatus is the TASK_ERROR of a task whose name another Task holds (Mesos
 * validateUniqueTaskID), stamped with the time its answer was planned.
 */
export function duplicateIdStatus(task: Task): TaskStatus {
  const name = task.metadata.name ?? '';
  return {
    state: 'TASK_ERROR',
    reason: task.spec.group === undefined ? 'REASON_TASK_INVALID' : 'REASON_TASK_GROUP_INVALID',
    source: 'SOURCE_MASTER',
    message: `Task has duplicate ID: ${name}`,
    ...(task.status?.lastTransitionTime === undefined
      ? {}
      : { lastTransitionTime: task.status.lastTransitionTime }),
  };
}

/**
 * statusToWrite is the status the controller writes through `/status` after creating `obj`, or
 * undefined when there is none to write: a Task's TASK_STAGING is the API server's, set at the
 * create (only a rejected Task's TASK_ERROR is the controller's to write).
 */
export function statusToWrite(obj: CreatedObject): unknown {
  switch (obj.kind) {
    case 'Task':
      return obj.status?.state === 'TASK_STAGING' ? undefined : obj.status;
    case 'Operation':
      return obj.status;
    case 'Reservation':
    case 'Volume':
      return undefined;
    default:
      return assertNever(obj, 'created object');
  }
}
