// controllers/reservations: operator-managed Reservations and Volumes (Mesos's operator API for
// reservations and persistent volumes), planned by the offer engine against the agent's applied
// state (a Volume's changes, and a reservation update's volume moves, carried to the agent as
// Operations), and the applied-state bookkeeping the offer controller shares.
import type { Kind } from '../../core/client/index.ts';
import { builtinKinds, corralKinds } from '../../core/client/index.ts';
import type { Agent, Reservation, Task, Volume } from '../../core/types/index.ts';
import { changedOnly } from '../agents/event-filter.ts';
import { agentIndexes, requestsOf } from '../agents/indexes.ts';
import type { ControllerContext } from '../main.ts';
import type { Runnable } from '../runtime/index.ts';
import { Controller } from '../runtime/index.ts';
import { indexedRecords } from './agent-model.ts';
import type { RecordKind } from './record-kind.ts';
import { reservationKind, volumeKind } from './record-kind.ts';
import { RecordReconciler } from './record-reconciler.ts';

export type { AgentIndexes, AgentRecords } from './agent-model.ts';
export { agentModel, indexedRecords } from './agent-model.ts';
export {
  APPLIED_ANNOTATION,
  REMOVED_ANNOTATION,
  appliedReservation,
  appliedVolume,
  sameReservationSpec,
  sameVolumeSpec,
  withApplied,
} from './applied.ts';
export { MOVES_ANNOTATION } from './moves.ts';
export type { NamespaceCreateApi, OperationCreateApi } from './operation-sender.ts';
export {
  DEFAULT_OPERATION_NAMESPACE,
  OperationSender,
  operatorOperation,
  operatorOrigin,
} from './operation-sender.ts';
export type {
  OperatorPayload,
  PendingOperation,
  PendingOperations,
} from './operator-operations.ts';
export {
  PENDING_OPERATIONS_ANNOTATION,
  carriedOutByAgent,
  operationName,
  operationsOf,
  payloadOf,
  pendingOperations,
  updateOperations,
} from './operator-operations.ts';
export type { RecordKind } from './record-kind.ts';
export {
  RESERVATION_FINALIZER,
  VOLUME_FINALIZER,
  reservationKind,
  volumeKind,
  volumeUsers,
} from './record-kind.ts';
export type { RecordReconcilerOptions, RecordWriteApi } from './record-reconciler.ts';
export {
  APPLIED_CONDITION,
  DELETION_BLOCKED_CONDITION,
  RecordReconciler,
} from './record-reconciler.ts';

/** DEFAULT_RETRY_MS is how soon a refused operator change is tried again (10 s). */
export const DEFAULT_RETRY_MS = 10_000;

/** ReservationControllerConfig are the reservation controllers' flags. */
export interface ReservationControllerConfig {
  readonly retryMs?: number;
  /** operationNamespace holds operators' Operations (DEFAULT_OPERATION_NAMESPACE). */
  readonly operationNamespace?: string;
}

// taskKey changes when what a Volume's users depend on changes: holdsResources reads the state,
// its source and reason (a provisional TASK_LOST holds, the agent's own does not) and the agent.
const taskKey = (t: Task): string =>
  [
    t.status?.state ?? '',
    t.status?.source ?? '',
    t.status?.reason ?? '',
    t.metadata.deletionTimestamp ?? '',
    t.spec.agent,
  ].join('/');
const agentKey = (a: Agent): string => String(a.spec.gone === true);

function recordController<T extends Reservation | Volume>(
  kind: RecordKind<T>,
  resource: Kind<T>,
  config: ReservationControllerConfig,
): (ctx: ControllerContext) => Runnable {
  return ({ client, manager, clock, logger }) => {
    const ix = agentIndexes(manager);
    const agents = manager.informer(corralKinds.agents);
    const own = manager.informer(resource);
    const sameAgent =
      kind.kind === 'Reservation'
        ? (agent: string) => requestsOf(ix.reservations.keys(agent))
        : (agent: string) => requestsOf(ix.volumes.keys(agent));
    const reconciler = new RecordReconciler<T>({
      kind,
      cache: own.cache,
      agents: agents.cache,
      records: indexedRecords(ix),
      api: client.for(resource),
      volumeApi: client.for(corralKinds.volumes),
      offerApi: client.for(corralKinds.offers),
      operationApi: client.for(corralKinds.operations),
      namespaceApi: client.for(builtinKinds.namespaces),
      ...(config.operationNamespace === undefined
        ? {}
        : { operationNamespace: config.operationNamespace }),
      clock,
      logger,
      retryMs: config.retryMs ?? DEFAULT_RETRY_MS,
    });
    const name = kind.kind === 'Reservation' ? 'reservations' : 'volumes';
    // Any change on the agent may unblock a refused change or a held deletion.
    return new Controller({ name, reconciler, clock, logger })
      .watch(manager.informer(corralKinds.reservations), r => sameAgent(r.spec.agent))
      .watch(manager.informer(corralKinds.volumes), v => sameAgent(v.spec.agent))
      .watch(changedOnly(manager.informer(corralKinds.tasks), taskKey), t =>
        sameAgent(t.spec.agent),
      )
      .watch(changedOnly(agents, agentKey), a => sameAgent(a.metadata.name ?? ''));
  };
}

/** reservationController builds the Reservation controller from the controllers' context. */
export function reservationController(
  config: ReservationControllerConfig = {},
): (ctx: ControllerContext) => Runnable {
  return recordController(reservationKind, corralKinds.reservations, config);
}

/** volumeController builds the Volume controller from the controllers' context. */
export function volumeController(
  config: ReservationControllerConfig = {},
): (ctx: ControllerContext) => Runnable {
  return recordController(volumeKind, corralKinds.volumes, config);
}
