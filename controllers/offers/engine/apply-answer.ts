// applyAnswer: an Offer's answer, applied exactly as Mesos's master applies an ACCEPT or DECLINE.
//
// Which failures stop what (Mesos Master::accept and Master::_accept):
//   1. The whole ACCEPT fails, and no operation runs, when the offer is not valid for the caller:
//      rescinded (being deleted), another framework's, or another agent's. Tasks get TASK_LOST
//      (TASK_DROPPED when partition-aware) with REASON_INVALID_OFFERS, resource operations
//      OPERATION_ERROR; the resources go back without a filter (a rescinded offer's already did).
//   2. It also fails as a whole when the agent is removed or disconnected: tasks get TASK_LOST or
//      TASK_DROPPED (REASON_AGENT_REMOVED / _DISCONNECTED), other operations get no feedback.
//   3. Otherwise every operation runs, in order, against what the ones before it left. An invalid
//      operation is dropped (OPERATION_ERROR; its tasks TASK_ERROR) and the rest go on. Within a
//      LAUNCH each task stands alone; a LAUNCH_GROUP launches all its tasks or none.
//   4. What is left returns to the pool: resources that speculative operations converted without
//      a filter, the rest under the answer's filter.
import { ResourceParseError, Resources } from '../../../core/resources/index.ts';
import type { Offer, OfferOperationType } from '../../../core/types/index.ts';
import { assertNever } from '../../../core/util/assert-never.ts';
import { agentUnavailablePlan, invalidOffersPlan, offerError } from './accept-failures.ts';
import { declinePlan, emptyPlan, offerRef, offeredResources, refuseFilter } from './filters.ts';
import { launch, launchGroup } from './launch.ts';
import { intersect } from './conversions.ts';
import type { NameLookup } from './names-in-use.ts';
import { NamesInUse, lookupOfList } from './names-in-use.ts';
import { createdNames, offerKey } from './names.ts';
import { RecordBook } from './record-book.ts';
import { resourceOperation } from './resource-ops.ts';
import type { RuleContext } from './resource-rules.ts';
import type { AgentState, AnswerPlan, FrameworkView } from './types.ts';
import type { StepHandler, WalkContext, WalkState } from './walk-state.ts';

/** AnswerInput is an answered Offer, who answered it, its agent, and the time to stamp. */
export interface AnswerInput {
  readonly offer: Offer;
  readonly framework: FrameworkView;
  readonly agent: AgentState;
  readonly now: string;
}

function handler(type: OfferOperationType): StepHandler {
  switch (type) {
    case 'LAUNCH':
      return launch;
    case 'LAUNCH_GROUP':
      return launchGroup;
    case 'RESERVE':
    case 'UNRESERVE':
    case 'CREATE':
    case 'DESTROY':
    case 'GROW_VOLUME':
    case 'SHRINK_VOLUME':
    case 'CREATE_DISK':
    case 'DESTROY_DISK':
      return resourceOperation;
    default:
      return assertNever(type, 'operation type');
  }
}

function context(input: AnswerInput): WalkContext {
  const { offer, framework, agent, now } = input;
  const ref = offerRef(offer);
  const rules: RuleContext = {
    agent: { name: agent.name, capabilities: agent.capabilities },
    framework: {
      name: framework.name,
      roles: framework.roles,
      capabilities: framework.capabilities,
    },
    role: offer.spec.role,
    ...(framework.principal === undefined ? {} : { principal: framework.principal }),
  };
  const where = {
    origin: offerKey(ref),
    offer: ref.name,
    namespace: ref.namespace,
    agent: agent.name,
    framework: framework.name,
    role: offer.spec.role,
    now,
  };
  return { offer, framework, agent, where, rules };
}

const lookupOf = (records: FrameworkView['tasks']): NameLookup =>
  typeof records === 'function' ? records : lookupOfList(records);

function initialState(ctx: WalkContext, offered: Resources): WalkState {
  const { offer, framework, agent, where } = ctx;
  const ref = offerRef(offer);
  const own = `${where.namespace}/${where.offer}`;
  const others = <T extends { offer?: string }>(list: readonly T[] | undefined, mine: string) =>
    (list ?? []).filter(x => x.offer !== mine);
  const ops = offer.spec.response?.accept?.operations ?? [];
  return {
    remaining: offered,
    remainingShared: offered.shared(),
    resized: Resources.EMPTY,
    used: Resources.EMPTY,
    conversions: [],
    // What this offer's answer launched on an earlier, interrupted run is not someone else's.
    users: others(agent.tasks, own),
    taskNames: new NamesInUse(lookupOf(framework.tasks), where.offer),
    operationIds: new NamesInUse(lookupOf(framework.operations), where.offer),
    results: [],
    rescind: Resources.EMPTY,
    book: new RecordBook(where, ref, agent, createdNames(ref, ops)),
  };
}

/**
 * applyAnswer plans what an Offer's answer does, following Mesos (see the rules above): per
 * operation results, the records to write (deterministic names), the resources used and those
 * returned, split into converted (no filter) and declined (under the answer's filter, Mesos's
 * refuse_seconds rules). Pure: the same input gives the same plan, and the names do not depend on
 * records a previous, interrupted run of the same plan created.
 */
export function applyAnswer(input: AnswerInput): AnswerPlan {
  const { offer, framework, agent, now } = input;
  const response = offer.spec.response;
  if (offer.metadata.deletionTimestamp !== undefined) {
    if (response?.accept === undefined) return emptyPlan(offer, 'RESCINDED');
    return invalidOffersPlan(offer, framework, {
      message: 'Offer is no longer valid',
      rescinded: true,
    });
  }
  if (response === undefined) return emptyPlan(offer, 'UNANSWERED');
  const accept = response.accept;
  if (accept === undefined) return declinePlan(offer, now);
  const invalid = offerError(offer, framework, agent);
  if (invalid !== undefined)
    return invalidOffersPlan(offer, framework, { message: invalid, rescinded: false });
  const connectivity = agent.connectivity ?? 'connected';
  switch (connectivity) {
    case 'connected':
      break;
    case 'disconnected':
    case 'removed':
      return agentUnavailablePlan(offer, framework, connectivity === 'removed');
    default:
      return assertNever(connectivity, 'agent connectivity');
  }

  let offered: Resources;
  try {
    offered = offeredResources(offer);
  } catch (e) {
    if (!(e instanceof ResourceParseError)) throw e;
    const message = `Offer resources are invalid: ${e.message}`;
    return invalidOffersPlan(offer, framework, { message, rescinded: false });
  }
  const ctx = context(input);
  const state = initialState(ctx, offered);
  accept.operations.forEach((op, i) => handler(op.type)(ctx, state, op, i));

  // Leftovers (Mesos `_accept`, end): what remains as it was offered is implicitly declined,
  // under the answer's filter; what speculative operations converted (resized volumes included)
  // comes back without one. Mesos computes declined = remaining − (remaining + resized − offered),
  // which loses resources when a resize's result merges with a leftover; remaining ∩ offered is
  // the same split otherwise, and keeps used + returned equal to what the offer became.
  const declined = intersect(state.remaining, offered);
  const converted = state.remaining.add(state.resized).subtract(declined);
  const filter = declined.isEmpty() ? undefined : refuseFilter(accept.filters, now);
  return {
    ...emptyPlan(offer, 'ACCEPTED'),
    results: state.results,
    changes: state.book.changes(),
    conversions: state.conversions,
    used: state.used,
    returned: converted.add(declined),
    converted,
    declined,
    ...(filter === undefined ? {} : { filter }),
    rescind: state.rescind,
  };
}
