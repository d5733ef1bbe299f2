// Role: a role's fair-share weight (mesos-features §1.1).
import type { CorralApiVersion } from './group.ts';
import type { Condition, KubeObject } from './meta.ts';
import type { QuantityMap } from './resources.ts';

/** RoleSpec names the role (it may contain `/`, which metadata.name cannot) and its weight. */
export interface RoleSpec {
  role: string;
  /** Weighted DRF divisor; more than 0, default 1. */
  weight?: number;
}

/** RoleStatus is what the allocator observes of the role and its sub-roles. */
export interface RoleStatus {
  observedGeneration?: number;
  conditions?: Condition[];
  frameworks?: number;
  allocated?: QuantityMap;
  offered?: QuantityMap;
  reserved?: QuantityMap;
}

/** Role is a role's weight (cluster-scoped). */
export interface Role extends KubeObject {
  apiVersion: CorralApiVersion;
  kind: 'Role';
  spec: RoleSpec;
  status?: RoleStatus;
}
