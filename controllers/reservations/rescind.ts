// Rescinding offers for an operator's change (Mesos `Master::Http::_operation`: rescind enough
// offers on the agent that the operator wins the race against frameworks). Only unanswered offers
// are taken back, each on its resourceVersion, so an answer that lands first wins and is applied
// by the offer controller; the change is then planned again against what the answer did.
import type { DeleteOptions, ObjectKey } from '../../core/client/index.ts';
import { isConflict, isNotFound } from '../../core/client/index.ts';
import type { Offer } from '../../core/types/index.ts';

/** OfferDeleteApi deletes Offers: the typed client fits. */
export interface OfferDeleteApi {
  delete(key: ObjectKey, opts?: DeleteOptions): Promise<void>;
}

/** rescindOffers deletes the unanswered offers among `offers`; returns how many it deleted. */
export async function rescindOffers(
  api: OfferDeleteApi,
  offers: readonly Offer[],
  signal: AbortSignal,
): Promise<number> {
  let n = 0;
  for (const o of offers) {
    if (o.spec.response !== undefined || o.metadata.deletionTimestamp !== undefined) continue;
    const key = { namespace: o.metadata.namespace ?? '', name: o.metadata.name ?? '' };
    const rv = o.metadata.resourceVersion;
    try {
      await api.delete(key, {
        signal,
        ...(rv === undefined ? {} : { preconditions: { resourceVersion: rv } }),
      });
      n++;
    } catch (e) {
      if (!isNotFound(e) && !isConflict(e)) throw e;
    }
  }
  return n;
}
