// Quota: guarantees and limits of a top-level role (mesos-features §1.6).
import type { CorralApiVersion } from './group.ts';
import type { Condition, KubeObject } from './meta.ts';
import type { QuantityMap } from './resources.ts';

/**
 * QuotaSpec is Mesos QuotaConfig: scalar guarantees (held back as headroom) and limits (a missing
 * name is unlimited). Guarantees must not exceed limits (validateQuota).
 */
export interface QuotaSpec {
  role: string;
  guarantees?: QuantityMap;
  limits?: QuantityMap;
}

/** QuotaStatus is consumption as Mesos reports it, plus what is offered and held back. */
export interface QuotaStatus {
  observedGeneration?: number;
  conditions?: Condition[];
  consumed?: QuantityMap;
  offered?: QuantityMap;
  headroom?: QuantityMap;
}

/** Quota is a role's quota (cluster-scoped). */
export interface Quota extends KubeObject {
  apiVersion: CorralApiVersion;
  kind: 'Quota';
  spec: QuotaSpec;
  status?: QuotaStatus;
}
