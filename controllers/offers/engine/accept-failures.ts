// ACCEPTs that fail as a whole (Mesos Master::accept's invalid offers, and Master::_accept's
// missing or disconnected agent): no operation runs and no record is written.
import type { Resources } from '../../../core/resources/index.ts';
import { ResourceParseError } from '../../../core/resources/index.ts';
import type { Offer, OfferOperation, TaskReason } from '../../../core/types/index.ts';
import { emptyPlan, offeredResources } from './filters.ts';
import type { AgentState, AnswerOutcome, AnswerPlan, FrameworkView, StepResult } from './types.ts';

/** offerError is why an offer cannot be accepted by this framework on this agent, if it cannot. */
export function offerError(
  offer: Offer,
  framework: FrameworkView,
  agent: AgentState,
): string | undefined {
  const name = offer.metadata.name ?? '';
  if (offer.spec.framework !== framework.name || offer.metadata.namespace !== framework.namespace) {
    return `Offer ${name} has invalid framework ${offer.spec.framework} while framework ${framework.name} is expected`;
  }
  if (offer.spec.agent !== agent.name) {
    return `Offer ${name} uses agent ${offer.spec.agent} while agent ${agent.name} is expected`;
  }
  return undefined;
}

interface Failure {
  readonly outcome: AnswerOutcome;
  readonly message: string;
  /** taskReason is what launched tasks are told (TASK_LOST, or TASK_DROPPED when partition-aware). */
  readonly taskReason: TaskReason;
  readonly taskMessage: string;
  /** operationMessage is the OPERATION_ERROR message; undefined: Mesos says nothing (DROPPED here). */
  readonly operationMessage?: string;
  /** giveBack returns the offered resources without a filter (a rescinded offer already did). */
  readonly giveBack: boolean;
}

function results(
  ops: readonly OfferOperation[],
  f: Failure,
  partitionAware: boolean,
): StepResult[] {
  const taskState = partitionAware ? 'TASK_DROPPED' : 'TASK_LOST';
  return ops.map((op, index): StepResult => {
    if (op.type === 'LAUNCH' || op.type === 'LAUNCH_GROUP') {
      const tasks = (op.type === 'LAUNCH' ? op.launch : op.launchGroup)?.tasks ?? [];
      const lost = { state: taskState, reason: f.taskReason, message: f.taskMessage } as const;
      return {
        kind: 'launch',
        index,
        type: op.type,
        tasks: tasks.map(t => ({ name: t.name, ...lost })),
      };
    }
    const id = op.id === undefined ? {} : { id: op.id };
    const msg = f.operationMessage;
    return msg === undefined
      ? {
          kind: 'operation',
          index,
          type: op.type,
          ...id,
          state: 'OPERATION_DROPPED',
          message: f.message,
        }
      : { kind: 'operation', index, type: op.type, ...id, state: 'OPERATION_ERROR', message: msg };
  });
}

// parsedOffer is the offer's resources, or nothing when they do not parse (nothing to give back).
function parsedOffer(offer: Offer): Resources | undefined {
  try {
    return offeredResources(offer);
  } catch (e) {
    if (e instanceof ResourceParseError) return undefined;
    throw e;
  }
}

function failed(offer: Offer, framework: FrameworkView, f: Failure): AnswerPlan {
  const offered = f.giveBack ? parsedOffer(offer) : undefined;
  const partitionAware = framework.capabilities.includes('PARTITION_AWARE');
  const ops = offer.spec.response?.accept?.operations ?? [];
  return {
    ...emptyPlan(offer, f.outcome),
    message: f.message,
    results: results(ops, f, partitionAware),
    ...(offered === undefined ? {} : { returned: offered, converted: offered }),
  };
}

/**
 * invalidOffersPlan: Mesos discards the offers (resources back without a filter), sends
 * OPERATION_ERROR for resource operations and TASK_LOST (TASK_DROPPED when partition-aware) with
 * REASON_INVALID_OFFERS for tasks. A rescinded offer's resources are back already.
 */
export function invalidOffersPlan(
  offer: Offer,
  framework: FrameworkView,
  why: { readonly message: string; readonly rescinded: boolean },
): AnswerPlan {
  return failed(offer, framework, {
    outcome: why.rescinded ? 'RESCINDED' : 'INVALID_OFFER',
    message: why.message,
    taskReason: 'REASON_INVALID_OFFERS',
    taskMessage: `Task launched with invalid offers: ${why.message}`,
    operationMessage: `Operation attempted with invalid offers: ${why.message}`,
    giveBack: !why.rescinded,
  });
}

/**
 * agentUnavailablePlan: for a removed or disconnected agent Mesos tells tasks TASK_LOST (or
 * DROPPED) with REASON_AGENT_REMOVED or REASON_AGENT_DISCONNECTED, skips the other operations
 * without feedback, and takes the offer back without a filter.
 */
export function agentUnavailablePlan(
  offer: Offer,
  framework: FrameworkView,
  removed: boolean,
): AnswerPlan {
  const message = removed ? 'Agent removed' : 'Agent disconnected';
  return failed(offer, framework, {
    outcome: 'AGENT_UNAVAILABLE',
    message,
    taskReason: removed ? 'REASON_AGENT_REMOVED' : 'REASON_AGENT_DISCONNECTED',
    taskMessage: message,
    giveBack: true,
  });
}
