// One TypeScript type per Corral kind, matching its CRD in crds/ (the schema is the source of
// truth; test/unit/crds checks the two agree).
import type { Agent } from './agent.ts';
import type { Framework } from './framework.ts';
import type { Offer } from './offer.ts';
import type { Operation } from './operation.ts';
import type { Quota } from './quota.ts';
import type { Reservation } from './reservation.ts';
import type { ResourceProvider } from './resource-provider.ts';
import type { Role } from './role.ts';
import type { Task } from './task.ts';
import type { Volume } from './volume.ts';

export type * from './meta.ts';
export * from './group.ts';
export * from './resources.ts';
export * from './agent.ts';
export * from './agent-lease.ts';
export * from './framework.ts';
export * from './role.ts';
export * from './quota.ts';
export * from './offer.ts';
export * from './reservation.ts';
export * from './volume.ts';
export * from './task-template.ts';
export * from './task.ts';
export * from './operation.ts';
export * from './resource-provider.ts';

/** CorralObject is any object of a Corral kind. */
export type CorralObject =
  | Agent
  | Framework
  | Role
  | Quota
  | Offer
  | Reservation
  | Volume
  | Task
  | Operation
  | ResourceProvider;

/** CorralKind is the `kind` of a Corral object. */
export type CorralKind = CorralObject['kind'];

/** CORRAL_KINDS lists every Corral kind, in the order of DESIGN.md §2. */
export const CORRAL_KINDS = [
  'Agent',
  'Framework',
  'Role',
  'Quota',
  'Offer',
  'Reservation',
  'Volume',
  'Task',
  'Operation',
  'ResourceProvider',
] as const satisfies readonly CorralKind[];
