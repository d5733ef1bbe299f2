import type { KubeObject } from '../../core/types/meta.ts';
import type { ResourceRequest } from './context.ts';

/**
 * Admission is the seam for checks and defaults that need more than the object itself (namespace
 * existence, namespace defaults, CRD name rules, later authorization-aware rules). A hook may
 * adjust the object it is given and throws an ApiError to reject.
 */
export interface Admission {
  admitCreate(r: ResourceRequest, obj: KubeObject): Promise<void>;
  admitUpdate(r: ResourceRequest, current: KubeObject, next: KubeObject): Promise<void>;
}

/** composeAdmission runs several admission plugins in order. */
export function composeAdmission(plugins: readonly Admission[]): Admission {
  return {
    async admitCreate(r, obj) {
      for (const p of plugins) await p.admitCreate(r, obj);
    },
    async admitUpdate(r, current, next) {
      for (const p of plugins) await p.admitUpdate(r, current, next);
    },
  };
}
