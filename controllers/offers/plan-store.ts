// The plan of an accepted Offer, saved on the Offer before any record is written. Creates are
// safe to recompute (deterministic names), but edits of existing Reservations and Volumes are not
// (an UNRESERVE that deleted a record leaves nothing to recompute from), so a controller restarted
// midway replays the saved plan instead of planning again.
import type { Offer } from '../../core/types/index.ts';
import { TerminalError } from '../runtime/index.ts';
import type { AnswerOutcome, AnswerPlan, RecordChange } from './engine/index.ts';

/** PLAN_ANNOTATION holds the JSON of the saved plan. */
export const PLAN_ANNOTATION = 'corral.dev/answer-plan';

/** SavedPlan is the part of an AnswerPlan the writes need: plain JSON. */
export interface SavedPlan {
  readonly outcome: AnswerOutcome;
  readonly changes: readonly RecordChange[];
}

/** savedPlanOf keeps what a plan's writes need. */
export function savedPlanOf(plan: AnswerPlan): SavedPlan {
  return { outcome: plan.outcome, changes: plan.changes };
}

/**
 * withPlan returns a copy of the offer carrying the plan. Only the containers on the way to the
 * annotation are copied (the object, metadata, annotations); spec and status are the offer's own,
 * so the copy is as read-only as the cached offer it is made from: it is only sent.
 */
export function withPlan(offer: Offer, plan: SavedPlan): Offer {
  const metadata = offer.metadata;
  const annotations = { ...metadata.annotations, [PLAN_ANNOTATION]: JSON.stringify(plan) };
  return { ...offer, metadata: { ...metadata, annotations } };
}

/**
 * loadPlan reads the saved plan, or undefined when there is none. A plan that does not parse
 * is tampering: it throws a TerminalError (retrying cannot help) rather than guess.
 */
export function loadPlan(offer: Offer): SavedPlan | undefined {
  const text = offer.metadata.annotations?.[PLAN_ANNOTATION];
  if (text === undefined) return undefined;
  let parsed: Partial<SavedPlan>;
  try {
    parsed = JSON.parse(text) as Partial<SavedPlan>;
  } catch (e) {
    throw new TerminalError(`offer ${offer.metadata.name ?? ''}: ${PLAN_ANNOTATION} is not JSON`, {
      cause: e,
    });
  }
  if (typeof parsed.outcome !== 'string' || !Array.isArray(parsed.changes)) {
    throw new TerminalError(`offer ${offer.metadata.name ?? ''}: ${PLAN_ANNOTATION} is not a plan`);
  }
  return { outcome: parsed.outcome, changes: parsed.changes };
}
