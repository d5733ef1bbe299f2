// What the offer engine reads (the answering framework, the agent's state) and what it returns
// (the plan for one Offer's answer). Everything here is a plain value: the engine does no I/O.
import type { Resource, Resources } from '../../../core/resources/index.ts';
import type {
  AgentCapability,
  FrameworkCapability,
  Operation,
  OperationType,
  Reservation,
  ReservationSpec,
  Task,
  TaskReason,
  Volume,
  VolumeSpec,
} from '../../../core/types/index.ts';

/** OfferRef names an Offer; `uid` (the API server's) keeps names stable across offer-name reuse. */
export interface OfferRef {
  readonly namespace: string;
  readonly name: string;
  readonly uid?: string;
}

/** OwnedName is an object of the framework's namespace and the Offer (same namespace) behind it. */
export interface OwnedName {
  readonly name: string;
  readonly offer?: string;
}

/** FrameworkView is what the engine needs of the Framework that answers. */
export interface FrameworkView {
  readonly name: string;
  readonly namespace: string;
  readonly roles: readonly string[];
  readonly capabilities: readonly FrameworkCapability[];
  readonly principal?: string;
  /**
   * tasks finds the framework's Task of a name: a record holds its name (Mesos: task ids in
   * use); a list is indexed once (names-in-use.ts).
   */
  readonly tasks?: readonly OwnedName[] | ((name: string) => OwnedName | undefined);
  /** operations finds the framework's Operation of a name (their names are operation ids). */
  readonly operations?: readonly OwnedName[] | ((name: string) => OwnedName | undefined);
}

/** ReservationView is one Reservation record of the agent, parsed and unallocated. */
export interface ReservationView {
  readonly name: string;
  readonly role: string;
  readonly resources: Resources;
  readonly resourceVersion?: string;
}

/** VolumeView is one Volume record of the agent, parsed and unallocated. */
export interface VolumeView {
  readonly name: string;
  readonly resource: Resource;
  readonly resourceVersion?: string;
}

/**
 * TaskUse is a task that still holds resources on the agent (core/framework holdsResources: a
 * provisional TASK_LOST too, until the agent is marked gone) and the exact resources it holds.
 */
export interface TaskUse {
  /** name is `namespace/name`. */
  readonly name: string;
  /** offer is the `namespace/name` of the Offer whose LAUNCH created the task. */
  readonly offer?: string;
  readonly resources: Resources;
}

/** AgentConnectivity: Mesos drops an ACCEPT for a disconnected or removed agent. */
export type AgentConnectivity = 'connected' | 'disconnected' | 'removed';

/**
 * AgentState is the agent as Mesos's master sees it: its total (unreserved, static and dynamic
 * reservations, volumes; unallocated), the records that make it up, what tasks hold and what is
 * offered. `agentStateFrom` builds one from API objects.
 */
export interface AgentState {
  readonly name: string;
  readonly capabilities: readonly AgentCapability[];
  readonly connectivity?: AgentConnectivity;
  readonly total: Resources;
  readonly reservations: readonly ReservationView[];
  readonly volumes: readonly VolumeView[];
  readonly tasks: readonly TaskUse[];
  /** offered is what outstanding offers hold on the agent (operator changes rescind them). */
  readonly offered: Resources;
}

/** Conversion is Mesos's ResourceConversion: `consumed` becomes `converted`. */
export interface Conversion {
  readonly consumed: Resources;
  readonly converted: Resources;
}

/** OperationResult is the feedback of one resource operation of the answer. */
export interface OperationResult {
  readonly kind: 'operation';
  readonly index: number;
  readonly type: OperationType;
  readonly id?: string;
  /** PENDING: applied to the desired state, the agent has yet to confirm; ERROR: dropped. */
  readonly state: 'OPERATION_PENDING' | 'OPERATION_ERROR' | 'OPERATION_DROPPED';
  readonly message?: string;
}

/** TaskResult is the first state of one task of a LAUNCH or LAUNCH_GROUP. */
export interface TaskResult {
  readonly name: string;
  readonly state: 'TASK_STAGING' | 'TASK_ERROR' | 'TASK_LOST' | 'TASK_DROPPED';
  readonly reason?: TaskReason;
  readonly message?: string;
}

/** LaunchResult is the outcome of one LAUNCH or LAUNCH_GROUP, task by task. */
export interface LaunchResult {
  readonly kind: 'launch';
  readonly index: number;
  readonly type: 'LAUNCH' | 'LAUNCH_GROUP';
  readonly tasks: readonly TaskResult[];
}

/** StepResult is what happened to one operation of the answer. */
export type StepResult = OperationResult | LaunchResult;

/** CreatedObject is a record the plan creates. */
export type CreatedObject = Reservation | Volume | Task | Operation;

/**
 * RecordChange is one write the plan needs; creates have deterministic names. A launched Task's
 * create names its `standIn`: where its TASK_ERROR goes if, when written, another offer's Task
 * holds its name (rejectedStandIn).
 */
export type RecordChange =
  | { readonly action: 'create'; readonly object: CreatedObject; readonly standIn?: string }
  | (RecordEdit & {
      readonly action: 'update';
      readonly kind: 'Reservation';
      readonly spec: ReservationSpec;
    })
  | (RecordEdit & { readonly action: 'update'; readonly kind: 'Volume'; readonly spec: VolumeSpec })
  | (RecordEdit & { readonly action: 'delete'; readonly kind: 'Reservation' | 'Volume' });

/**
 * RecordEdit names an existing record, the resourceVersion the change was computed from, and the
 * origin (the offer's key) an update writes into the `corral.dev/origin` annotation, which is how
 * a restarted controller sees the update was made.
 */
export interface RecordEdit {
  readonly name: string;
  readonly resourceVersion?: string;
  readonly origin: string;
}

/** RefuseFilter keeps the declined resources from the framework's role on the agent until `until`. */
export interface RefuseFilter {
  readonly refuseSeconds: number;
  readonly until: string;
}

/**
 * AnswerOutcome: ACCEPTED and DECLINED ran; UNANSWERED has no response yet; RESCINDED is an offer
 * being deleted (nothing changes); INVALID_OFFER and AGENT_UNAVAILABLE failed the whole ACCEPT.
 */
export type AnswerOutcome =
  'ACCEPTED' | 'DECLINED' | 'UNANSWERED' | 'RESCINDED' | 'INVALID_OFFER' | 'AGENT_UNAVAILABLE';

/**
 * AnswerPlan is everything an answer does. `returned` = `converted` (speculatively converted,
 * back without a filter) + `declined` (back under `filter`); `used` stays allocated (tasks and
 * non-speculative operations). Applying `conversions` to the offered resources gives `used` +
 * `returned` (shared volumes aside: tasks may share one offered copy).
 */
export interface AnswerPlan {
  readonly offer: OfferRef;
  readonly outcome: AnswerOutcome;
  readonly message?: string;
  readonly results: readonly StepResult[];
  readonly changes: readonly RecordChange[];
  readonly conversions: readonly Conversion[];
  readonly used: Resources;
  readonly returned: Resources;
  readonly converted: Resources;
  readonly declined: Resources;
  readonly filter?: RefuseFilter;
  /** rescind holds destroyed volumes: other offers that still hold them must be rescinded. */
  readonly rescind: Resources;
}
