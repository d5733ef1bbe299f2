// The allocator's OfferApi over the typed client: the one place where client errors become the
// publisher's literal outcomes ('exists', 'gone', 'conflict').
import type { Client, MergePatch, ReadonlyCache } from '../../core/client/index.ts';
import {
  ClientError,
  corralKinds,
  isAlreadyExists,
  isConflict,
  isNotFound,
} from '../../core/client/index.ts';
import type { Quantity, Quota, QuotaStatus } from '../../core/types/index.ts';
import type { CreateOutcome, OfferApi } from './api-publisher.ts';

/** FIELD_MANAGER names the allocator in the managedFields of what it writes. */
export const FIELD_MANAGER = 'corral-allocator';

/** ClientOfferApiOptions wire the OfferApi to one client. */
export interface ClientOfferApiOptions {
  readonly client: Client;
  /**
   * inFlight is the signal requests already sent run under. A request is only started while the
   * caller's signal is live, but once sent it is not cut off when leadership ends (cutting it
   * would not undo a write the server may already be doing); `inFlight` bounds how long it may
   * still take. Absent: the caller's signal.
   */
  readonly inFlight?: AbortSignal;
  /** quotas is the informer cache of Quotas, to clear status figures a new status no longer has. */
  readonly quotas?: ReadonlyCache<Quota>;
}

type Figures = 'consumed' | 'offered' | 'headroom';
const FIGURES: readonly Figures[] = ['consumed', 'offered', 'headroom'];

/**
 * clientOfferApi implements OfferApi with the typed client. Offers are created in the namespace
 * their metadata names (the framework's), many to a request (a List create); Quota status is merge-patched through `/status`, with
 * `null` for every resource name the previous figures had and the new ones lack (a merge patch
 * merges maps, so a name left out would otherwise stay).
 */
export function clientOfferApi(o: ClientOfferApiOptions): OfferApi {
  const offers = o.client.for(corralKinds.offers);
  const quotas = o.client.for(corralKinds.quotas);
  const written = new Map<string, QuotaStatus>();
  const live = (signal: AbortSignal): AbortSignal => {
    // checked before sending: a step that outlives leadership must not start new writes
    signal.throwIfAborted();
    return o.inFlight ?? signal;
  };
  return {
    async createOffers(batch, signal) {
      const answers = await offers.createMany(batch, {
        signal: live(signal),
        fieldManager: FIELD_MANAGER,
      });
      return answers.map((a): CreateOutcome => {
        if (!(a instanceof ClientError)) return 'created';
        return isAlreadyExists(a) ? 'exists' : { failed: a };
      });
    },
    async deleteOffer(ref, signal) {
      const { namespace, name, resourceVersion } = ref;
      try {
        await offers.delete(
          { namespace, name },
          {
            signal: live(signal),
            ...(resourceVersion === undefined ? {} : { preconditions: { resourceVersion } }),
          },
        );
        return 'deleted';
      } catch (err) {
        if (isNotFound(err)) return 'gone';
        if (isConflict(err)) return 'conflict';
        throw err;
      }
    },
    async writeQuotaStatus(name, status, signal) {
      const before = [o.quotas?.get({ name })?.status, written.get(name)];
      const patch: Record<string, unknown> = { ...status };
      for (const figure of FIGURES) {
        const next: Record<string, Quantity | null> = { ...status[figure] };
        for (const old of before) {
          for (const key of Object.keys(old?.[figure] ?? {})) if (!(key in next)) next[key] = null;
        }
        patch[figure] = next;
      }
      // MergePatch<Quota> does not reach into optional fields (status), hence the cast
      const body = { status: patch } as MergePatch<Quota>;
      await quotas.patchStatus({ name }, body, {
        signal: live(signal),
        fieldManager: FIELD_MANAGER,
      });
      written.set(name, status);
    },
  };
}
