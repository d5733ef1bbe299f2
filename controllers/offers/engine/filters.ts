// Refuse filters (Mesos Filters.refuse_seconds, normalised as the hierarchical allocator's
// recoverResources does) and the plan of a DECLINE.
import { Resources, parseResourceList } from '../../../core/resources/index.ts';
import type { Filters, Offer } from '../../../core/types/index.ts';
import type { AnswerPlan, OfferRef, RefuseFilter } from './types.ts';

/** DEFAULT_REFUSE_SECONDS is Mesos's default Filters.refuse_seconds. */
export const DEFAULT_REFUSE_SECONDS = 5;

/** MAX_REFUSE_SECONDS is 365 days, where Mesos clamps longer filters. */
export const MAX_REFUSE_SECONDS = 365 * 24 * 60 * 60;

/**
 * refuseSeconds normalises a filter's duration as Mesos does: absent → 5; above 365 days
 * (Infinity included) → 365 days; negative or not a number → 5; 0 stays 0 (no filter).
 */
export function refuseSeconds(filters: Filters | undefined): number {
  const s = filters?.refuseSeconds;
  if (s === undefined) return DEFAULT_REFUSE_SECONDS;
  if (s > MAX_REFUSE_SECONDS) return MAX_REFUSE_SECONDS;
  if (s < 0 || Number.isNaN(s)) return DEFAULT_REFUSE_SECONDS;
  return s;
}

/** refuseFilter is the filter `filters` installs at `now`, or undefined for none (0 seconds). */
export function refuseFilter(filters: Filters | undefined, now: string): RefuseFilter | undefined {
  const seconds = refuseSeconds(filters);
  if (seconds === 0) return undefined;
  const start = Date.parse(now);
  if (Number.isNaN(start)) throw new RangeError(`now is not a timestamp: ${now}`);
  return {
    refuseSeconds: seconds,
    until: new Date(start + Math.round(seconds * 1000)).toISOString(),
  };
}

/** offerRef names an offer. */
export function offerRef(offer: Offer): OfferRef {
  const { namespace = '', name = '', uid } = offer.metadata;
  return uid === undefined ? { namespace, name } : { namespace, name, uid };
}

/**
 * offeredResources parses an offer's resources with their allocation stripped: the engine works
 * on unallocated resources, since one offer holds one role. Throws a ResourceParseError if the
 * offer is malformed (admission prevents it).
 */
export function offeredResources(offer: Offer): Resources {
  return parseResourceList(offer.spec.resources, 'spec.resources').unallocate();
}

/** emptyPlan is a plan that changes nothing. */
export function emptyPlan(offer: Offer, outcome: AnswerPlan['outcome']): AnswerPlan {
  return {
    offer: offerRef(offer),
    outcome,
    results: [],
    changes: [],
    conversions: [],
    used: Resources.EMPTY,
    returned: Resources.EMPTY,
    converted: Resources.EMPTY,
    declined: Resources.EMPTY,
    rescind: Resources.EMPTY,
  };
}

/**
 * declinePlan returns every offered resource under the decline's filter (Mesos DECLINE, which is
 * an ACCEPT without operations). An offer without a decline uses the default filter.
 */
export function declinePlan(offer: Offer, now: string): AnswerPlan {
  const offered = offeredResources(offer);
  const filter = refuseFilter(offer.spec.response?.decline?.filters, now);
  return {
    ...emptyPlan(offer, 'DECLINED'),
    returned: offered,
    declined: offered,
    ...(filter === undefined ? {} : { filter }),
  };
}
