// Operation feedback on the ACCEPT path (mesos-features §4.3): who may ask for it, and the result
// and Operation record each resource operation ends with.
import type { OfferOperation, OperationType } from '../../../core/types/index.ts';
import { isObjectName, recordName } from './names.ts';
import type { Payload } from './payload.ts';
import { allResources } from './payload.ts';
import { operationObject } from './record-objects.ts';
import type { OperationResult } from './types.ts';
import type { WalkContext, WalkState } from './walk-state.ts';

/** Step is one resource operation of the answer. */
export interface Step {
  readonly op: OfferOperation;
  readonly index: number;
  readonly type: OperationType;
}

/**
 * feedbackError is why an operation that asks for feedback (has an id) cannot have it: Mesos needs
 * an agent with RESOURCE_PROVIDER, and, for the agent's own resources, AGENT_OPERATION_FEEDBACK
 * too. Corral adds that the id names an Operation record, so another offer's id cannot be reused.
 */
export function feedbackError(
  ctx: WalkContext,
  state: WalkState,
  op: OfferOperation,
  payload: Payload,
): string | undefined {
  const id = op.id;
  if (id === undefined) return undefined;
  if (state.operationIds.has(id)) return `Operation id '${id}' is already in use`;
  const caps = ctx.agent.capabilities;
  if (!caps.includes('RESOURCE_PROVIDER')) {
    return `Operation requested feedback, but agent ${ctx.agent.name} does not have the required RESOURCE_PROVIDER capability`;
  }
  const onAgent = allResources(payload)
    .toArray()
    .every(r => r.providerId === undefined);
  if (onAgent && !caps.includes('AGENT_OPERATION_FEEDBACK')) {
    return `Operation on agent default resources requested feedback, but agent ${ctx.agent.name} does not have the required AGENT_OPERATION_FEEDBACK and RESOURCE_PROVIDER capabilities`;
  }
  return undefined;
}

/**
 * settle records how a resource operation ended. Dropped (`why` set): OPERATION_ERROR, reported
 * through an Operation record only when the operation has an id (Mesos sends no feedback
 * otherwise) and the id is free. Applied: OPERATION_PENDING until the agent confirms, always
 * through an Operation record, since that record is what makes the agent carry the operation out
 * (a DESTROY deletes the volume's data, a CREATE makes its directory): named after the id when the
 * framework asked for feedback, otherwise with a generated name and NO_FEEDBACK_LABEL, so that it
 * is no feedback of the framework's (Mesos applies operations without id on the agent all the
 * same, and tells the framework nothing).
 */
export function settle(
  ctx: WalkContext,
  state: WalkState,
  step: Step,
  why: string | undefined,
): void {
  const { op, index, type } = step;
  const id = op.id;
  const free = id !== undefined && !state.operationIds.has(id) && isObjectName(id);
  const result: OperationResult = {
    kind: 'operation',
    index,
    type,
    ...(id === undefined ? {} : { id }),
    state: why === undefined ? 'OPERATION_PENDING' : 'OPERATION_ERROR',
    ...(why === undefined ? {} : { message: why }),
  };
  state.results.push(result);
  if (id !== undefined) state.operationIds.add(id);
  if (free) {
    state.book.operation(operationObject(ctx.where, op, { result, feedback: true }));
  } else if (why === undefined) {
    const name = recordName('Operation', state.book.offer, index);
    const internal = { ...result, id: name };
    state.book.operation(operationObject(ctx.where, op, { result: internal, feedback: false }));
  }
}
