// Acknowledging an operation's terminal status (Mesos ACKNOWLEDGE_OPERATION_STATUS) is an
// annotation on the Operation; the operation controller collects the record after it.
import { isNotFound } from '../core/client/index.ts';
import type { Operation } from '../core/types/index.ts';
import type { KindApi } from './ports.ts';
import { FIELD_MANAGER } from './registration.ts';
import {
  ACKNOWLEDGED_ANNOTATION,
  hasFeedback,
  isAcknowledged,
  isReliableOperationState,
  isTerminalOperationState,
} from './states.ts';

/**
 * acknowledgeOperation writes the acknowledgement. False when there is nothing to acknowledge:
 * ERROR and DROPPED (sent without a uuid in Mesos), an operation without feedback (accepted
 * without an id), already acknowledged, or gone. Throws a
 * RangeError for a non-terminal state: acknowledging it would let the record go before the
 * outcome is known.
 */
export async function acknowledgeOperation(
  api: KindApi<Operation>,
  op: Operation,
): Promise<boolean> {
  const state = op.status?.state;
  if (state === undefined || !isTerminalOperationState(state)) {
    const name = op.metadata.name ?? '';
    throw new RangeError(`operation ${name} is not terminal (${state ?? 'no state'})`);
  }
  if (!isReliableOperationState(state) || isAcknowledged(op) || !hasFeedback(op)) return false;
  const key = { namespace: op.metadata.namespace ?? '', name: op.metadata.name ?? '' };
  const patch = { metadata: { annotations: { [ACKNOWLEDGED_ANNOTATION]: 'true' } } };
  try {
    await api.patch(key, patch, { fieldManager: FIELD_MANAGER });
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}
