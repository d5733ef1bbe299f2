// controllers/operations: Operation feedback states beyond the agent's confirmation (agent lost or
// gone, reservations finished without agent work) and collection of acknowledged operations.
import { corralKinds } from '../../core/client/index.ts';
import type { Framework } from '../../core/types/index.ts';
import { changedOnly } from '../agents/event-filter.ts';
import { healthKey } from '../agents/health.ts';
import { agentIndexes, requestsOf } from '../agents/indexes.ts';
import type { ControllerContext } from '../main.ts';
import type { Runnable } from '../runtime/index.ts';
import { Controller } from '../runtime/index.ts';
import { OperationReconciler } from './operation-reconciler.ts';

export { convertedResources } from './converted.ts';
export type { OperationApi, OperationControllerOptions } from './operation-reconciler.ts';
export { OperationReconciler } from './operation-reconciler.ts';
export {
  ACKNOWLEDGED_ANNOTATION,
  TERMINAL_OPERATION_STATES,
  UNRELIABLE_STATES,
  hasFeedback,
  isAcknowledged,
  isTerminalOperation,
} from './operation-states.ts';

/** DEFAULT_OPERATION_RETENTION_MS keeps acknowledged terminal operations 15 minutes. */
export const DEFAULT_OPERATION_RETENTION_MS = 15 * 60_000;

/** DEFAULT_CONFIRM_GRACE_MS is how long a RESERVE/UNRESERVE waits for its agent (10 s). */
export const DEFAULT_CONFIRM_GRACE_MS = 10_000;

/** OperationControllerConfig are the operation controller's flags. */
export interface OperationControllerConfig {
  readonly retentionMs?: number;
  readonly confirmGraceMs?: number;
}

/** operationController builds the operation controller from the controllers' context. */
export function operationController(
  config: OperationControllerConfig = {},
): (ctx: ControllerContext) => Runnable {
  const retentionMs = config.retentionMs ?? DEFAULT_OPERATION_RETENTION_MS;
  const confirmGraceMs = config.confirmGraceMs ?? DEFAULT_CONFIRM_GRACE_MS;
  if (!(retentionMs >= 0) || !(confirmGraceMs >= 0))
    throw new RangeError('operation retention and confirm grace must be >= 0');
  return ({ client, manager, clock, logger }) => {
    const operations = manager.informer(corralKinds.operations);
    const agents = manager.informer(corralKinds.agents);
    const frameworks = manager.informer(corralKinds.frameworks);
    const ix = agentIndexes(manager);
    const reconciler = new OperationReconciler({
      operations: operations.cache,
      agents: agents.cache,
      frameworks: frameworks.cache,
      api: client.for(corralKinds.operations),
      clock,
      logger,
      retentionMs,
      confirmGraceMs,
    });
    const ofFramework = (f: Framework) =>
      operations.cache
        .list(f.metadata.namespace ?? '')
        .filter(o => o.spec.framework === f.metadata.name)
        .map(o => ({ namespace: o.metadata.namespace ?? '', name: o.metadata.name ?? '' }));
    return new Controller({ name: 'operations', reconciler, clock, logger, workers: 2 })
      .watch(operations)
      .watch(changedOnly(agents, healthKey), a =>
        requestsOf(ix.operations.keys(a.metadata.name ?? '')),
      )
      .watch(
        changedOnly(frameworks, () => ''),
        ofFramework,
      );
  };
}
