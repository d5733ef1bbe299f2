// Builders for the operations of an ACCEPT (Mesos Offer.Operation), producing exactly the shapes
// of `spec.response.accept.operations[]` in crds/corral.dev_offers.yaml. They shape; the offer
// controller validates against what is offered (and reports through Operations and Tasks).
import type { ReservationInfo, Resource } from '../core/resources/index.ts';
import {
  Resources,
  makeLabels,
  reservationEqual,
  renderResource,
  renderResourceList,
} from '../core/resources/index.ts';
import type {
  DiskTargetType,
  OfferOperation,
  Quantity,
  ResourceItem,
  TaskTemplate,
} from '../core/types/index.ts';
import type { ResourceInput } from './resources.ts';
import { toResources } from './resources.ts';

/** FeedbackOptions name the Operation that reports how a resource operation went (Mesos id). */
export interface FeedbackOptions {
  /** id asks for feedback: an Operation of this name appears in the framework's namespace. */
  readonly id?: string;
}

/** ReservationOptions describe the DYNAMIC reservation a RESERVE pushes. */
export interface ReservationOptions {
  /** role reserved for: the offer's role, or a sub-role of the current reservation. */
  readonly role: string;
  readonly principal?: string;
  /** labels keep this reservation apart: reservations with different labels never merge. */
  readonly labels?: Readonly<Record<string, string>>;
}

// Operations carry unallocated resources (the controller applies the offer's role itself).
function list(input: ResourceInput): ResourceItem[] {
  return renderResourceList(toResources(input).unallocate());
}

function one(input: ResourceInput, what: string): Resource {
  const rs = toResources(input).unallocate().toArray();
  const [r] = rs;
  if (r === undefined || rs.length !== 1)
    throw new RangeError(`${what} must be exactly one resource, got ${rs.length}`);
  return r;
}

const feedback = (o: FeedbackOptions | undefined): { id?: string } =>
  o?.id === undefined ? {} : { id: o.id };

/** reservationInfo is the reservation entry a RESERVE with these options pushes. */
export function reservationInfo(o: ReservationOptions): ReservationInfo {
  const labels = o.labels === undefined ? undefined : makeLabels(o.labels);
  return {
    type: 'DYNAMIC',
    role: o.role,
    ...(o.principal === undefined ? {} : { principal: o.principal }),
    ...(labels === undefined ? {} : { labels }),
  };
}

/**
 * reservedBy keeps the resources whose current reservation is exactly this one (role, principal
 * and labels): what an earlier RESERVE of the framework left, as offers show it.
 */
export function reservedBy(resources: ResourceInput, o: ReservationOptions): Resources {
  const mine = reservationInfo(o);
  return toResources(resources).filter(r => {
    const top = r.reservations.at(-1);
    return top !== undefined && reservationEqual(top, mine);
  });
}

/**
 * reservedAs is `resources` as a RESERVE will leave them: a DYNAMIC entry for `role` pushed on
 * each stack. Use it to name those resources in a CREATE or LAUNCH of the same answer. Throws a
 * RangeError for a role that does not refine the current reservation.
 */
export function reservedAs(resources: ResourceInput, o: ReservationOptions): Resources {
  return toResources(resources).unallocate().pushReservation(reservationInfo(o));
}

/** reserve is RESERVE: reserve `resources` (unreserved, or reserved for an ancestor role). */
export function reserve(
  resources: ResourceInput,
  o: ReservationOptions & FeedbackOptions,
): OfferOperation {
  const reserved = reservedAs(resources, o);
  return { type: 'RESERVE', ...feedback(o), reserve: { resources: renderResourceList(reserved) } };
}

/** unreserve is UNRESERVE: pop the top reservation of `resources`, named as they are offered. */
export function unreserve(resources: ResourceInput, o?: FeedbackOptions): OfferOperation {
  return { type: 'UNRESERVE', ...feedback(o), unreserve: { resources: list(resources) } };
}

/** VolumeOptions make a reserved disk a persistent volume. */
export interface VolumeOptions extends FeedbackOptions {
  /** persistenceId names the volume; unique per role and agent (choose a global one). */
  readonly persistenceId: string;
  /** containerPath is where tasks see it; relative paths are under the sandbox. */
  readonly containerPath: string;
  /**
   * principal is recorded as the volume's creator; it must be the framework's principal. Absent:
   * the principal of the disk's current reservation.
   */
  readonly principal?: string;
  /** shared lets several tasks use it at once (needs SHARED_RESOURCES). */
  readonly shared?: boolean;
}

/**
 * volumeOf is the persistent volume a CREATE makes of one reserved disk resource (its size,
 * stack and source kept): the resource to mount, DESTROY, GROW or SHRINK later.
 */
export function volumeOf(disk: ResourceInput, o: VolumeOptions): Resource {
  const d = one(disk, 'a volume disk');
  if (d.name !== 'disk') throw new RangeError(`a volume is made of disk, not ${d.name}`);
  const principal = o.principal ?? d.reservations.at(-1)?.principal;
  const made: Resource = {
    ...d,
    disk: {
      ...(d.disk?.source === undefined ? {} : { source: d.disk.source }),
      persistence: {
        id: o.persistenceId,
        ...(principal === undefined ? {} : { principal }),
      },
      volume: { containerPath: o.containerPath, mode: 'RW' },
    },
    shared: o.shared ?? false,
  };
  return Resources.of(made).toArray()[0] ?? made;
}

/** createVolume is CREATE: make one persistent volume of a reserved disk resource. */
export function createVolume(disk: ResourceInput, o: VolumeOptions): OfferOperation {
  const volume = volumeOf(disk, o);
  return { type: 'CREATE', ...feedback(o), create: { volumes: [renderResource(volume)] } };
}

/** createVolumes is CREATE of several volumes, given as they will be (see volumeOf). */
export function createVolumes(volumes: ResourceInput, o?: FeedbackOptions): OfferOperation {
  return { type: 'CREATE', ...feedback(o), create: { volumes: list(volumes) } };
}

/** destroyVolume is DESTROY: delete persistent volumes (the data goes, the reservation stays). */
export function destroyVolume(volumes: ResourceInput, o?: FeedbackOptions): OfferOperation {
  return { type: 'DESTROY', ...feedback(o), destroy: { volumes: list(volumes) } };
}

/** growVolume is GROW_VOLUME: add `addition` (disk with the volume's stack) to a volume. */
export function growVolume(
  volume: ResourceInput,
  addition: ResourceInput,
  o?: FeedbackOptions,
): OfferOperation {
  const growVolume = {
    volume: renderResource(one(volume, 'the volume')),
    addition: renderResource(one(addition, 'the addition')),
  };
  return { type: 'GROW_VOLUME', ...feedback(o), growVolume };
}

/** shrinkVolume is SHRINK_VOLUME: take `subtract` (a disk quantity, `"64"` or `"1Gi"`) off. */
export function shrinkVolume(
  volume: ResourceInput,
  subtract: Quantity,
  o?: FeedbackOptions,
): OfferOperation {
  const shrinkVolume = { volume: renderResource(one(volume, 'the volume')), subtract };
  return { type: 'SHRINK_VOLUME', ...feedback(o), shrinkVolume };
}

/** CreateDiskOptions choose what CREATE_DISK makes of a RAW provider disk. */
export interface CreateDiskOptions extends FeedbackOptions {
  readonly targetType: DiskTargetType;
  /** targetProfile is required exactly when the source has no profile. */
  readonly targetProfile?: string;
}

/** createDisk is CREATE_DISK: turn a RAW provider disk into a MOUNT or BLOCK disk. */
export function createDisk(source: ResourceInput, o: CreateDiskOptions): OfferOperation {
  const createDisk = {
    source: renderResource(one(source, 'the source')),
    targetType: o.targetType,
    ...(o.targetProfile === undefined ? {} : { targetProfile: o.targetProfile }),
  };
  return { type: 'CREATE_DISK', ...feedback(o), createDisk };
}

/** destroyDisk is DESTROY_DISK: give a provider disk back to its pool. */
export function destroyDisk(source: ResourceInput, o?: FeedbackOptions): OfferOperation {
  const destroyDisk = { source: renderResource(one(source, 'the source')) };
  return { type: 'DESTROY_DISK', ...feedback(o), destroyDisk };
}

/**
 * launch is LAUNCH: each template becomes a Task of its name (unique in the namespace; a name
 * still held by an old Task gets TASK_ERROR). No `id`: launches report through their Tasks.
 */
export function launch(tasks: readonly TaskTemplate[]): OfferOperation {
  return { type: 'LAUNCH', launch: { tasks: [...tasks] } };
}

/** launchGroup is LAUNCH_GROUP: the tasks start together or not at all, and die together. */
export function launchGroup(tasks: readonly TaskTemplate[]): OfferOperation {
  return { type: 'LAUNCH_GROUP', launchGroup: { tasks: [...tasks] } };
}
