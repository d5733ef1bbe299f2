// What the reservation controller needs to know of each kind it applies: Reservations (Mesos
// RESERVE_RESOURCES / UNRESERVE_RESOURCES, with 1.10's reservation update) and Volumes (Mesos
// CREATE_VOLUMES / DESTROY_VOLUMES / GROW_VOLUME / SHRINK_VOLUME), planned by the offer engine.
import type { Resource } from '../../core/resources/index.ts';
import { ResourceParseError, Resources, parseResourceSpec } from '../../core/resources/index.ts';
import type { Reservation, Volume } from '../../core/types/index.ts';
import type { AgentState, ChangePlan } from '../offers/engine/index.ts';
import { planReservationChange, planVolumeChange } from '../offers/engine/index.ts';
import {
  appliedReservation,
  appliedVolume,
  sameReservationSpec,
  sameVolumeSpec,
} from './applied.ts';

/** RESERVATION_FINALIZER holds a Reservation until its resources can be unreserved. */
export const RESERVATION_FINALIZER = 'corral.dev/reservation';

/** VOLUME_FINALIZER holds a Volume until it can be destroyed (no task uses it). */
export const VOLUME_FINALIZER = 'corral.dev/volume';

/** RecordKind describes one kind the controller applies. */
export interface RecordKind<T extends Reservation | Volume> {
  readonly kind: T['kind'];
  readonly finalizer: string;
  /** applied is the record as the agent's model has it, or undefined if never applied. */
  applied(o: T): T | undefined;
  same(a: T['spec'], b: T['spec']): boolean;
  /** plan is the engine's operator plan from `before` (applied) to `after` (undefined: delete). */
  plan(before: T | undefined, after: T | undefined, agent: AgentState): ChangePlan;
  /** observed is status the controller keeps beside its conditions (a Volume's users). */
  observed(o: T, agent: AgentState): Partial<NonNullable<T['status']>>;
}

/** reservationKind applies Reservations. */
export const reservationKind: RecordKind<Reservation> = {
  kind: 'Reservation',
  finalizer: RESERVATION_FINALIZER,
  applied: appliedReservation,
  same: sameReservationSpec,
  plan: planReservationChange,
  observed: () => ({}),
};

function volumeResource(v: Volume): Resource | undefined {
  try {
    return Resources.of(parseResourceSpec(v.spec.resource, 'spec.resource'))
      .unallocate()
      .toArray()[0];
  } catch (e) {
    if (e instanceof ResourceParseError) return undefined;
    throw e;
  }
}

/** volumeUsers names the tasks (`namespace/name`) that hold the applied volume. */
export function volumeUsers(v: Volume, agent: AgentState): string[] {
  const applied = appliedVolume(v);
  const r = applied === undefined ? undefined : volumeResource(applied);
  if (r === undefined) return [];
  const one = Resources.of(r);
  return agent.tasks
    .filter(t => t.resources.contains(one))
    .map(t => t.name)
    .sort();
}

/** volumeKind applies Volumes and reports who uses them. */
export const volumeKind: RecordKind<Volume> = {
  kind: 'Volume',
  finalizer: VOLUME_FINALIZER,
  applied: appliedVolume,
  same: sameVolumeSpec,
  plan: planVolumeChange,
  observed: (v, agent) => ({ usedBy: volumeUsers(v, agent) }),
};
