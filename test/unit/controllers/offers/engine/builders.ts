// Builders for offer-engine tests, shaped after Mesos's test helpers (RESERVE(), CREATE(),
// LAUNCH(), createPersistentVolume, createDynamicReservationInfo) so scenarios read like the
// Mesos tests they mirror.
import type { DiskSource, ReservationInfo, Resource } from '../../../../../core/resources/index.ts';
import {
  Resources,
  makeResource,
  parseResourceText,
  renderResource,
  renderResourceList,
} from '../../../../../core/resources/index.ts';
import type {
  AgentCapability,
  Filters,
  FrameworkCapability,
  Offer,
  OfferOperation,
  Quantity,
  ResourceItem,
  TaskTemplate,
  TaskTemplateSpec,
} from '../../../../../core/types/index.ts';
import { NO_FEEDBACK_LABEL } from '../../../../../core/framework/index.ts';
import { CORRAL_API_VERSION } from '../../../../../core/types/index.ts';
import type {
  AgentState,
  AnswerPlan,
  FrameworkView,
  LaunchResult,
  OfferRef,
  OperationResult,
  RecordChange,
} from '../../../../../controllers/offers/engine/index.ts';
import { applyAnswer } from '../../../../../controllers/offers/engine/index.ts';
import { dynamicRes } from '../../../core/resources/builders.ts';

export { dynamicRes };

/** NOW is the time every test plans at. */
export const NOW = '2025-01-01T00:00:00.000Z';

/** ROLE is the offer's role; PRINCIPAL the framework's. */
export const ROLE = 'role';
export const PRINCIPAL = 'principal';

/** ALL_AGENT_CAPS is an agent that can do everything. */
export const ALL_AGENT_CAPS: readonly AgentCapability[] = [
  'MULTI_ROLE',
  'HIERARCHICAL_ROLE',
  'RESERVATION_REFINEMENT',
  'RESOURCE_PROVIDER',
  'RESIZE_VOLUME',
  'AGENT_OPERATION_FEEDBACK',
  'TASK_RESOURCE_LIMITS',
];

/** res parses Mesos's text form (`cpus:1;mem(role):2`, roles are STATIC). */
export const res = (text: string): Resources => parseResourceText(text);

/** reserved pushes a DYNAMIC reservation for `role` by `principal` (null: none) onto each resource. */
export function reserved(
  text: string,
  role = ROLE,
  principal: string | null = PRINCIPAL,
): Resources {
  return res(text).pushReservation(dynamicRes(role, principal ?? undefined));
}

/** VolumeOptions shape a persistent volume; null leaves a field out. */
export interface VolumeOptions {
  readonly id: string;
  readonly path?: string | null;
  readonly mode?: 'RW' | 'RO';
  readonly stack?: readonly ReservationInfo[];
  readonly source?: DiskSource;
  readonly shared?: boolean;
  readonly revocable?: boolean;
  readonly principal?: string | null;
  readonly providerId?: string;
}

/** volume mirrors createPersistentVolume: a disk volume of `size` MB, reserved for ROLE. */
export function volume(size: string, opts: VolumeOptions): Resource {
  const principal = opts.principal === undefined ? PRINCIPAL : opts.principal;
  const path = opts.path === undefined ? opts.id : opts.path;
  return makeResource({
    name: 'disk',
    value: { type: 'SCALAR', scalar: res(`disk:${size}`).scalar('disk') },
    reservations: opts.stack ?? [dynamicRes(ROLE, PRINCIPAL)],
    disk: {
      persistence: { id: opts.id, ...(principal === null ? {} : { principal }) },
      ...(path === null ? {} : { volume: { containerPath: path, mode: opts.mode ?? 'RW' } }),
      ...(opts.source === undefined ? {} : { source: opts.source }),
    },
    shared: opts.shared ?? false,
    revocable: opts.revocable ?? false,
    ...(opts.providerId === undefined ? {} : { providerId: opts.providerId }),
  });
}

/** disk is `size` MB of plain disk with the volume's reservation and source (what CREATE consumes). */
export function disk(
  size: string,
  opts: { stack?: readonly ReservationInfo[]; source?: DiskSource } = {},
): Resource {
  return makeResource({
    name: 'disk',
    value: { type: 'SCALAR', scalar: res(`disk:${size}`).scalar('disk') },
    reservations: opts.stack ?? [dynamicRes(ROLE, PRINCIPAL)],
    ...(opts.source === undefined ? {} : { disk: { source: opts.source } }),
  });
}

/** items renders resources in the list form an Offer or an operation holds. */
export const items = (rs: Resources | Resource): ResourceItem[] =>
  rs instanceof Resources ? renderResourceList(rs) : [renderResource(rs)];

/** Operation builders, as Mesos's RESERVE(), UNRESERVE(), CREATE(), DESTROY(), LAUNCH(). */
export const RESERVE = (rs: Resources, id?: string): OfferOperation => ({
  type: 'RESERVE',
  ...(id === undefined ? {} : { id }),
  reserve: { resources: items(rs) },
});
export const UNRESERVE = (rs: Resources, id?: string): OfferOperation => ({
  type: 'UNRESERVE',
  ...(id === undefined ? {} : { id }),
  unreserve: { resources: items(rs) },
});
export const CREATE = (vs: Resources | Resource, id?: string): OfferOperation => ({
  type: 'CREATE',
  ...(id === undefined ? {} : { id }),
  create: { volumes: items(vs) },
});
export const DESTROY = (vs: Resources | Resource, id?: string): OfferOperation => ({
  type: 'DESTROY',
  ...(id === undefined ? {} : { id }),
  destroy: { volumes: items(vs) },
});
export const GROW = (v: Resource, addition: Resource): OfferOperation => ({
  type: 'GROW_VOLUME',
  growVolume: { volume: renderResource(v), addition: renderResource(addition) },
});
export const SHRINK = (v: Resource, subtract: Quantity): OfferOperation => ({
  type: 'SHRINK_VOLUME',
  shrinkVolume: { volume: renderResource(v), subtract },
});
export const LAUNCH = (tasks: TaskTemplate[], id?: string): OfferOperation => ({
  type: 'LAUNCH',
  ...(id === undefined ? {} : { id }),
  launch: { tasks },
});
export const LAUNCH_GROUP = (tasks: TaskTemplate[], id?: string): OfferOperation => ({
  type: 'LAUNCH_GROUP',
  ...(id === undefined ? {} : { id }),
  launchGroup: { tasks },
});

/** task is a LAUNCH template running `sleep` with these requests. */
export function task(
  name: string,
  resources: TaskTemplateSpec['resources'],
  over: Partial<TaskTemplateSpec> = {},
): TaskTemplate {
  return { name, spec: { resources, command: { value: 'sleep 1000' }, ...over } };
}

/** mounting adds a persistent-volume mount to a task spec. */
export const mounting = (volumeName: string): Partial<TaskTemplateSpec> => ({
  volumes: [{ containerPath: 'data', persistentVolume: { name: volumeName } }],
});

/** OfferInit shapes an offer: its resources, and an answer. */
export interface OfferInit {
  readonly resources: Resources;
  readonly operations?: OfferOperation[];
  readonly filters?: Filters;
  readonly decline?: Filters;
  readonly role?: string;
  readonly name?: string;
  readonly framework?: string;
  readonly agent?: string;
}

/** OFFER_REF names the offer `accept` answers (offer-1 of fw-ns, by its uid). */
export const OFFER_REF: OfferRef = { namespace: 'fw-ns', name: 'offer-1', uid: 'uid-offer-1' };

/** offer builds an Offer in the framework's namespace, allocated to its role, with an answer. */
export function offer(init: OfferInit): Offer {
  const role = init.role ?? ROLE;
  const response =
    init.decline !== undefined
      ? { decline: { filters: init.decline } }
      : init.operations === undefined
        ? undefined
        : {
            accept: {
              operations: init.operations,
              ...(init.filters === undefined ? {} : { filters: init.filters }),
            },
          };
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Offer',
    metadata: {
      name: init.name ?? 'offer-1',
      namespace: 'fw-ns',
      uid: `uid-${init.name ?? 'offer-1'}`,
    },
    spec: {
      framework: init.framework ?? 'fw',
      agent: init.agent ?? 'agent-1',
      role,
      resources: items(init.resources.allocate(role)),
      ...(response === undefined ? {} : { response }),
    },
  };
}

/** framework is the answering framework; by default it may do everything. */
export function framework(over: Partial<FrameworkView> = {}): FrameworkView {
  const caps: FrameworkCapability[] = ['MULTI_ROLE', 'RESERVATION_REFINEMENT', 'SHARED_RESOURCES'];
  return {
    name: 'fw',
    namespace: 'fw-ns',
    roles: [ROLE],
    capabilities: caps,
    principal: PRINCIPAL,
    ...over,
  };
}

/** agent is the offer's agent: every capability, and `total` (the offer, by default). */
export function agent(over: Partial<AgentState> = {}): AgentState {
  return {
    name: 'agent-1',
    capabilities: ALL_AGENT_CAPS,
    total: Resources.EMPTY,
    reservations: [],
    volumes: [],
    tasks: [],
    offered: Resources.EMPTY,
    ...over,
  };
}

/** AcceptOptions vary who answers and where. */
export interface AcceptOptions {
  readonly framework?: Partial<FrameworkView>;
  readonly agent?: Partial<AgentState>;
  readonly filters?: Filters;
  /** role is the offer's role, and the framework's unless `framework.roles` says otherwise. */
  readonly role?: string;
  /** anonymous leaves the framework without a principal (no authentication). */
  readonly anonymous?: boolean;
}

/** accept answers an offer of `offered` with `operations` and plans it. */
export function accept(
  offered: Resources,
  operations: OfferOperation[],
  opts: AcceptOptions = {},
): AnswerPlan {
  const role = opts.role ?? ROLE;
  const filters = opts.filters === undefined ? {} : { filters: opts.filters };
  return applyAnswer({
    offer: offer({ resources: offered, operations, role, ...filters }),
    framework: withoutPrincipal(framework({ roles: [role], ...opts.framework }), opts.anonymous),
    agent: agent({ total: offered, ...opts.agent }),
    now: NOW,
  });
}

function withoutPrincipal(fw: FrameworkView, anonymous: boolean | undefined): FrameworkView {
  if (anonymous !== true) return fw;
  const rest = { ...fw };
  delete rest.principal;
  return rest;
}

/** opResult is the result of operation `i`, which must be a resource operation. */
export function opResult(plan: AnswerPlan, i: number): OperationResult {
  const r = plan.results[i];
  if (r?.kind !== 'operation') throw new Error(`operation ${i} is not a resource operation`);
  return r;
}

/** launchResult is the result of operation `i`, which must be a launch. */
export function launchResult(plan: AnswerPlan, i: number): LaunchResult {
  const r = plan.results[i];
  if (r?.kind !== 'launch') throw new Error(`operation ${i} is not a launch`);
  return r;
}

/** created lists the names of the objects of `kind` the plan creates. */
export function created(plan: AnswerPlan, kind: string): string[] {
  return plan.changes.flatMap(c =>
    c.action === 'create' && c.object.kind === kind ? [c.object.metadata.name ?? ''] : [],
  );
}

/** same reports exact equality of two collections (Mesos ==), for readable assertions. */
export const same = (a: Resources, b: Resources): boolean => a.equals(b);

/** isAgentOnly is true for the Operation create of an operation without id (no feedback). */
function isAgentOnly(c: RecordChange): boolean {
  return (
    c.action === 'create' &&
    c.object.kind === 'Operation' &&
    c.object.metadata.labels?.[NO_FEEDBACK_LABEL] !== undefined
  );
}

/**
 * recordChanges are the plan's changes without the Operations of operations that have no id,
 * which exist only so the agent applies them (the tests of records look at the rest).
 */
export function recordChanges(plan: AnswerPlan): RecordChange[] {
  return plan.changes.filter(c => !isAgentOnly(c));
}

/** agentOnlyOperations lists the types of the plan's Operations without feedback, in order. */
export function agentOnlyOperations(plan: AnswerPlan): string[] {
  return plan.changes.flatMap(c =>
    isAgentOnly(c) && c.action === 'create' && c.object.kind === 'Operation'
      ? [c.object.spec.type]
      : [],
  );
}
