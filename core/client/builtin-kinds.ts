// The two Kubernetes kinds Corral's API server serves besides its own: core/v1 Namespace (framework
// namespaces, corral-system) and coordination.k8s.io/v1 Lease (leader election).
import type { KubeObject } from '../types/meta.ts';
import type { Kind } from './kinds.ts';
import { defineKind } from './kinds.ts';

/** Namespace is core/v1 Namespace. */
export interface Namespace extends KubeObject {
  apiVersion: 'v1';
  kind: 'Namespace';
  spec?: { finalizers?: string[] };
  status?: { phase?: 'Active' | 'Terminating' };
}

/**
 * LeaseSpec is coordination.k8s.io/v1 LeaseSpec. Times are RFC 3339 with microseconds
 * (`MicroTime`), as client-go writes them.
 */
export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

/** Lease is coordination.k8s.io/v1 Lease. */
export interface Lease extends KubeObject {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  spec?: LeaseSpec;
}

/** builtinKinds addresses the Kubernetes kinds the API server serves: namespaces and leases. */
export const builtinKinds = Object.freeze({
  namespaces: defineKind<Namespace>({
    group: '',
    version: 'v1',
    plural: 'namespaces',
    kind: 'Namespace',
    namespaced: false,
    hasStatus: true,
  }) satisfies Kind<Namespace>,
  leases: defineKind<Lease>({
    group: 'coordination.k8s.io',
    version: 'v1',
    plural: 'leases',
    kind: 'Lease',
    namespaced: true,
    hasStatus: false,
  }) satisfies Kind<Lease>,
});
