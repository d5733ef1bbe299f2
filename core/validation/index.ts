// Cross-field validation of the Corral kinds: the rules a structural schema cannot express
// (without CEL). The API server runs them in admission, after pruning, defaulting and schema
// validation, and answers 422 Invalid with every cause.
import type { StatusCause } from '../errors/index.ts';
import type {
  Agent,
  Framework,
  Offer,
  Operation,
  Quota,
  Reservation,
  Task,
  Volume,
} from '../types/index.ts';
import { CORRAL_API_VERSION } from '../types/group.ts';
import type { KubeObject } from '../types/meta.ts';
import { validateAgent, validateAgentUpdate } from './agent.ts';
import { validateFramework, validateFrameworkUpdate } from './framework.ts';
import { validateOffer, validateOfferUpdate } from './offer.ts';
import { validateOperation } from './operation.ts';
import { validateQuota } from './quota.ts';
import { validateReservation } from './reservation.ts';
import { validateTask } from './task.ts';
import { validateVolume } from './volume.ts';

export { validateAgent, validateAgentUpdate } from './agent.ts';
export { validateFramework, validateFrameworkUpdate } from './framework.ts';
export { validateOffer, validateOfferUpdate } from './offer.ts';
export { validateOperation } from './operation.ts';
export { validateQuota } from './quota.ts';
export { validateReservation } from './reservation.ts';
export { validateTask, validateTaskTemplate } from './task.ts';
export { validateVolume } from './volume.ts';

/**
 * validateCorralObject runs the cross-field rules of a Corral object's kind on create and update
 * (Role and ResourceProvider have none beyond their schema). Objects of other groups, and objects
 * without a spec (which the schema already rejects), give no causes.
 */
export function validateCorralObject(obj: KubeObject): StatusCause[] {
  if (obj.apiVersion !== CORRAL_API_VERSION || obj['spec'] === undefined) return [];
  switch (obj.kind) {
    case 'Agent':
      return validateAgent((obj as Agent).spec);
    case 'Framework':
      return validateFramework((obj as Framework).spec);
    case 'Quota':
      return validateQuota((obj as Quota).spec);
    case 'Offer':
      return validateOffer((obj as Offer).spec);
    case 'Reservation':
      return validateReservation((obj as Reservation).spec);
    case 'Volume':
      return validateVolume((obj as Volume).spec);
    case 'Task':
      return validateTask((obj as Task).spec);
    case 'Operation':
      return validateOperation((obj as Operation).spec);
    default:
      return [];
  }
}

/**
 * validateCorralUpdate runs the rules about what may change between two versions of a Corral
 * object (the agent's reconfiguration policy, a framework's principal, an offer answered once).
 * The API server runs it on every update, beside validateCorralObject on the new version; a
 * status update leaves spec as it was, which these rules always accept.
 */
export function validateCorralUpdate(old: KubeObject, next: KubeObject): StatusCause[] {
  if (
    next.apiVersion !== CORRAL_API_VERSION ||
    old['spec'] === undefined ||
    next['spec'] === undefined
  ) {
    return [];
  }
  switch (next.kind) {
    case 'Agent':
      return validateAgentUpdate((old as Agent).spec, (next as Agent).spec);
    case 'Framework':
      return validateFrameworkUpdate((old as Framework).spec, (next as Framework).spec);
    case 'Offer':
      return validateOfferUpdate((old as Offer).spec, (next as Offer).spec);
    default:
      return [];
  }
}
