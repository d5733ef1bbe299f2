// Reservation: resources of one agent reserved for a role (mesos-features §2).
import type { CorralApiVersion } from './group.ts';
import type { Condition, KubeObject } from './meta.ts';
import type { ResourceItem } from './resources.ts';

/** ReservationSpec lists reserved resources whose stacks all end with a reservation for role. */
export interface ReservationSpec {
  agent: string;
  role: string;
  resources: ResourceItem[];
}

/** ReservationStatus is what the operation controller observes. */
export interface ReservationStatus {
  observedGeneration?: number;
  conditions?: Condition[];
}

/** Reservation is a dynamic reservation (cluster-scoped). */
export interface Reservation extends KubeObject {
  apiVersion: CorralApiVersion;
  kind: 'Reservation';
  spec: ReservationSpec;
  status?: ReservationStatus;
}
