import { invalid } from '../../core/errors/index.ts';
import type { KubeObject } from '../../core/types/meta.ts';
import { validateCorralObject, validateCorralUpdate } from '../../core/validation/index.ts';
import type { Admission } from '../handlers/admission.ts';
import type { ResourceRequest } from '../handlers/context.ts';
import { setInitialTaskStatus } from './task-initial-status.ts';

const CORRAL_GROUP = 'corral.dev';

function reject(
  r: ResourceRequest,
  obj: KubeObject,
  causes: ReturnType<typeof validateCorralObject>,
): void {
  if (causes.length === 0) return;
  throw invalid({ kind: r.info.kind, group: r.info.group, name: obj.metadata.name ?? '' }, causes);
}

/**
 * corralAdmission runs the cross-field rules of the Corral kinds that a structural schema cannot
 * express (quota guarantees ≤ limits, task limits ≥ requests, one offer answer, agent
 * reconfiguration policy...), after the schema pass, on creates and on spec updates; and gives a
 * Task being created its first status (task-initial-status.ts), for single and List creates alike.
 */
export const corralAdmission: Admission = {
  admitCreate(r, obj) {
    if (r.info.group !== CORRAL_GROUP) return Promise.resolve();
    reject(r, obj, validateCorralObject(obj));
    if (r.info.kind === 'Task') setInitialTaskStatus(obj);
    return Promise.resolve();
  },
  admitUpdate(r, current, next) {
    if (r.info.group !== CORRAL_GROUP || r.subresource === 'status') return Promise.resolve();
    reject(r, next, [...validateCorralObject(next), ...validateCorralUpdate(current, next)]);
    return Promise.resolve();
  },
};
