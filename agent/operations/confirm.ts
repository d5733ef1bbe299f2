// One confirmation of an Operation bound to an agent (DESIGN.md flow 4), apart from how the
// agent finds its Operations: the real agent watches its own (spec.agent=<name>), hollow agents
// share one watch. An Operation is carried out and confirmed once: a state other than
// PENDING/RECOVERING is never touched, and a Conflict re-reads the record before trying again.
import type { Logger } from 'pino';
import type { CallOptions, ObjectKey, WriteOptions } from '../../core/client/index.ts';
import { isConflict, isNotFound } from '../../core/client/index.ts';
import { REJECTED_ANNOTATION } from '../../core/framework/index.ts';
import type { Operation } from '../../core/types/operation.ts';
import type { Clock } from '../../core/util/clock.ts';
import { taskKey } from '../sync/names.ts';
import type { OperationDeps } from './apply-operation.ts';
import { applyOperation } from './apply-operation.ts';

/** OperationStatusApi is what a confirmation needs of the API: the typed client fits. */
export interface OperationStatusApi {
  get(key: ObjectKey, opts?: CallOptions): Promise<Operation>;
  updateStatus(obj: Operation, opts?: WriteOptions): Promise<Operation>;
}

/** ConfirmDeps wire confirmations: the agent's pieces operations touch, and the API. */
export interface ConfirmDeps extends OperationDeps {
  readonly api: OperationStatusApi;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly fieldManager: string;
}

// No status yet means the offer controller has not decided (it writes PENDING or ERROR first),
// and a REJECTED_ANNOTATION record was refused by the control plane: neither is the agent's.
const OPEN = new Set(['OPERATION_PENDING', 'OPERATION_RECOVERING']);

/** isOpen tells whether an Operation still waits for its agent's confirmation. */
export function isOpen(op: Operation): boolean {
  if (op.metadata.annotations?.[REJECTED_ANNOTATION] !== undefined) return false;
  const state = op.status?.state;
  return state !== undefined && OPEN.has(state);
}

/**
 * confirmOperation carries out `op` (the cached copy; undefined when gone) if it is still open
 * and writes OPERATION_FINISHED or OPERATION_FAILED through `/status`. Returns the record as the
 * API server last answered it (the confirmed one, or a re-read that found it no longer open), so
 * a caller can tell older cached copies from newer; undefined when nothing was read or written.
 */
export async function confirmOperation(
  d: ConfirmDeps,
  cached: Operation | undefined,
  signal: AbortSignal,
): Promise<Operation | undefined> {
  let op = cached;
  if (op === undefined || !isOpen(op)) return undefined;
  const key = taskKey(op);
  const outcome = await applyOperation(d, op, signal);
  for (;;) {
    const now = new Date(d.clock.now()).toISOString();
    try {
      const written = await d.api.updateStatus(
        { ...op, status: { ...op.status, ...outcome, lastTransitionTime: now } },
        { signal, fieldManager: d.fieldManager },
      );
      d.logger.info(
        { operation: key, type: op.spec.type, state: outcome.state, message: outcome.message },
        'operation confirmed',
      );
      return written;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      if (!isConflict(e)) throw e;
      op = await d.api.get(
        { namespace: op.metadata.namespace ?? '', name: op.metadata.name ?? '' },
        { signal },
      );
      if (!isOpen(op)) return op;
    }
  }
}
