// Answering an offer (Mesos ACCEPT / DECLINE): one merge patch of `spec.response`, pinned to the
// resourceVersion the framework read, so an answer to an offer that changed or was rescinded
// fails cleanly instead of landing on something the framework never saw.
import { isConflict, isNotFound } from '../core/client/index.ts';
import type { MergePatch } from '../core/client/index.ts';
import type { Filters, Offer, OfferOperation, OfferResponse } from '../core/types/index.ts';
import { OfferRescinded } from './errors.ts';
import type { KindApi } from './ports.ts';
import { FIELD_MANAGER } from './registration.ts';

/**
 * acceptResponse is the answer that runs `operations` in order; whatever they leave of the offer
 * goes back to the pool under `filters` (absent: Mesos's default 5 s refusal).
 */
export function acceptResponse(
  operations: readonly OfferOperation[],
  filters?: Filters,
): OfferResponse {
  return {
    accept: { operations: [...operations], ...(filters === undefined ? {} : { filters }) },
  };
}

/** declineResponse returns every offered resource under `filters` (absent: 5 s; 0: none). */
export function declineResponse(filters?: Filters): OfferResponse {
  return { decline: filters === undefined ? {} : { filters } };
}

/**
 * answerPatch is the merge patch of an answer: `spec.response`, pinned to the offer's
 * resourceVersion. Throws a TypeError for an offer read without one.
 */
export function answerPatch(offer: Offer, response: OfferResponse): MergePatch<Offer> {
  const rv = offer.metadata.resourceVersion;
  if (rv === undefined || rv === '')
    throw new TypeError(`offer ${offer.metadata.name ?? ''} has no resourceVersion to pin to`);
  return { metadata: { resourceVersion: rv }, spec: { response } };
}

/**
 * writeAnswer writes the answer. Throws OfferRescinded on 404 (rescinded) or 409 (changed since
 * read), a RangeError when the offer read already holds an answer, and ClientError otherwise
 * (Invalid: the answer breaks the schema or Mesos's static rules).
 */
export async function writeAnswer(
  api: KindApi<Offer>,
  offer: Offer,
  response: OfferResponse,
  signal?: AbortSignal,
): Promise<Offer> {
  if (offer.spec.response !== undefined)
    throw new RangeError(`offer ${offer.metadata.name ?? ''} is already answered`);
  const key = { namespace: offer.metadata.namespace ?? '', name: offer.metadata.name ?? '' };
  try {
    return await api.patch(key, answerPatch(offer, response), {
      fieldManager: FIELD_MANAGER,
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (e) {
    if (isNotFound(e)) throw new OfferRescinded(offer, 'NotFound', e);
    if (isConflict(e)) throw new OfferRescinded(offer, 'Conflict', e);
    throw e;
  }
}

/**
 * declineAll declines every offer of `offers` that holds no answer, with no filter (the
 * resources go straight back to the pool); offers rescinded meanwhile are skipped.
 */
export async function declineAll(api: KindApi<Offer>, offers: readonly Offer[]): Promise<void> {
  for (const offer of offers) {
    if (offer.spec.response !== undefined) continue;
    try {
      await writeAnswer(api, offer, declineResponse({ refuseSeconds: 0 }));
    } catch (e) {
      if (!(e instanceof OfferRescinded)) throw e;
    }
  }
}
