// What the stateful framework does with one offer, decided from the offer alone (pure):
//   1. its volume is offered → LAUNCH the task on it;
//   2. disk reserved for it (no volume yet) → CREATE the volume, LAUNCH;
//   3. enough unreserved resources → RESERVE the task's resources and the disk, CREATE, LAUNCH;
//   4. otherwise → decline, saying why.
// Once a volume exists (the framework remembers its agent), only step 1 is allowed: making a
// second volume elsewhere would lose the data.
import type { Offer, OfferOperation, TaskTemplate } from '../../core/types/index.ts';
import type { ReservationOptions } from '../../sdk/index.ts';
import {
  createVolume,
  launch,
  offerResources,
  pickResources,
  reserve,
  reservedAs,
  reservedBy,
  toResources,
} from '../../sdk/index.ts';

/** VolumePlanInput is the offer and what the framework needs of it. */
export interface VolumePlanInput {
  readonly offer: Offer;
  /** reservation is the framework's DYNAMIC reservation (role, principal, labels). */
  readonly reservation: ReservationOptions;
  readonly persistenceId: string;
  readonly containerPath: string;
  /** diskMb is the volume's size. */
  readonly diskMb: number;
  /** task is what to launch; the volume mount is added here. */
  readonly task: TaskTemplate;
  /** agent is where the volume already is, if the framework made one. */
  readonly agent?: string;
}

/** VolumeStep is what to do with the offer. */
export type VolumeStep =
  | { readonly kind: 'launch' | 'create' | 'reserve'; readonly operations: OfferOperation[] }
  | { readonly kind: 'decline'; readonly why: string };

/** withVolume mounts the persistent volume (named by its persistence id) into the task. */
export function withVolume(
  task: TaskTemplate,
  persistenceId: string,
  containerPath: string,
): TaskTemplate {
  const mount = { containerPath, persistentVolume: { name: persistenceId } };
  return { ...task, spec: { ...task.spec, volumes: [...(task.spec.volumes ?? []), mount] } };
}

/** planVolume decides what to do with one offer (see the file comment). */
export function planVolume(i: VolumePlanInput): VolumeStep {
  if (i.agent !== undefined && i.offer.spec.agent !== i.agent)
    return { kind: 'decline', why: `the volume lives on agent ${i.agent}` };
  const offered = offerResources(i.offer);
  const requests = toResources(i.task.spec.resources);
  const task = withVolume(i.task, i.persistenceId, i.containerPath);
  const volume = offered
    .persistentVolumes()
    .filter(r => r.disk?.persistence?.id === i.persistenceId);
  if (!volume.isEmpty()) {
    const fits = pickResources(offered.subtract(volume), requests) !== undefined;
    if (fits) return { kind: 'launch', operations: [launch([task])] };
    return { kind: 'decline', why: 'the volume is offered without enough cpus and mem beside it' };
  }
  if (i.agent !== undefined)
    return { kind: 'decline', why: `volume ${i.persistenceId} is not in the offer` };
  const disk = toResources({ disk: String(i.diskMb) });
  const volumeOpts = { persistenceId: i.persistenceId, containerPath: i.containerPath };
  const reservedDisk = pickResources(reservedBy(offered, i.reservation), disk);
  if (
    reservedDisk !== undefined &&
    pickResources(offered.subtract(reservedDisk), requests) !== undefined
  ) {
    return { kind: 'create', operations: [createVolume(reservedDisk, volumeOpts), launch([task])] };
  }
  const wanted = requests.add(disk);
  const unreserved = pickResources(offered.unreserved(), wanted);
  if (unreserved === undefined)
    return { kind: 'decline', why: `the offer cannot hold ${wanted.toString()} unreserved` };
  const operations = [
    reserve(unreserved, i.reservation),
    createVolume(reservedAs(disk, i.reservation), volumeOpts),
    launch([task]),
  ];
  return { kind: 'reserve', operations };
}
