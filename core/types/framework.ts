// Framework: a scheduler's registration (mesos-features §0.2, §1.5, §1.7).
import type { CorralApiVersion } from './group.ts';
import type { Condition, KubeObject } from './meta.ts';
import type { QuantityMap } from './resources.ts';

/** FRAMEWORK_CAPABILITIES lists what a framework can declare (Mesos FrameworkInfo.Capability). */
export const FRAMEWORK_CAPABILITIES = [
  'REVOCABLE_RESOURCES',
  'TASK_KILLING_STATE',
  'GPU_RESOURCES',
  'SHARED_RESOURCES',
  'PARTITION_AWARE',
  'MULTI_ROLE',
  'RESERVATION_REFINEMENT',
  'REGION_AWARE',
] as const;

/** FrameworkCapability is one framework capability. */
export type FrameworkCapability = (typeof FRAMEWORK_CAPABILITIES)[number];

/**
 * RoleOfferFilters are one role's offer filters (Mesos OfferFilters). An absent
 * minAllocatableResources uses the cluster default; an empty list accepts any offer.
 */
export interface RoleOfferFilters {
  role: string;
  minAllocatableResources?: QuantityMap[];
}

/** FrameworkSpec is the registration (Mesos FrameworkInfo). */
export interface FrameworkSpec {
  roles: string[];
  capabilities?: FrameworkCapability[];
  principal?: string;
  failoverTimeoutSeconds?: number;
  offerFilters?: RoleOfferFilters[];
  suppressedRoles?: string[];
}

/** FrameworkStatus is what the controllers observe of the framework. */
export interface FrameworkStatus {
  observedGeneration?: number;
  conditions?: Condition[];
  allocated?: QuantityMap;
  offered?: QuantityMap;
}

/** Framework is a scheduler (namespaced: its Offers, Tasks and Operations share its namespace). */
export interface Framework extends KubeObject {
  apiVersion: CorralApiVersion;
  kind: 'Framework';
  spec: FrameworkSpec;
  status?: FrameworkStatus;
}
