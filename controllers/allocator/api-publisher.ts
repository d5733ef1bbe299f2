// Publishing decisions through the API: Offers created and deleted a bounded number at a time,
// Quota status written. The API itself is a port (OfferApi) main.ts maps onto the typed client.
import { renderQuantities } from '../../core/resources/index.ts';
import type { Offer, Quota, QuotaStatus } from '../../core/types/index.ts';
import type { AgentFacts } from './api-convert.ts';
import { offerObject, splitKey } from './api-convert.ts';
import type { OfferDecision, RescindDecision } from './decisions.ts';
import type { AllocatorPublisher, LoopLogger } from './loop.ts';
import type { QuotaRoleStatus } from './quota-status.ts';

/** OfferApi is what publishing needs from the API; main.ts maps client errors onto it. */
export interface OfferApi {
  /**
   * createOffers creates Offers in one request: per Offer, in order, 'created', 'exists' (one of
   * the same name is already there) or the failure of that one. Throws when the request as a
   * whole failed (nothing was created).
   */
  createOffers(offers: readonly Offer[], signal: AbortSignal): Promise<readonly CreateOutcome[]>;
  /** deleteOffer deletes if still at `resourceVersion` (when given): else 'conflict'. */
  deleteOffer(
    ref: { namespace: string; name: string; resourceVersion?: string },
    signal: AbortSignal,
  ): Promise<'deleted' | 'gone' | 'conflict'>;
  /** writeQuotaStatus merges figures into a Quota's status. */
  writeQuotaStatus(name: string, status: QuotaStatus, signal: AbortSignal): Promise<void>;
}

/** CreateOutcome is what became of one Offer of a createOffers call. */
export type CreateOutcome = 'created' | 'exists' | { readonly failed: unknown };

/** PublisherParts are what the publisher reads of the adapter's knowledge. */
export interface PublisherParts {
  readonly api: OfferApi;
  /** resourceVersion is an Offer's version as last seen, the precondition of its deletion. */
  resourceVersion(offerId: string): string | undefined;
  /** quotaOf is the Quota object of a role. */
  quotaOf(role: string): Quota | undefined;
  /** agentFacts is what an Offer shows of its agent. */
  agentFacts(agent: string): AgentFacts | undefined;
  readonly logger?: LoopLogger;
  /** concurrency bounds the deletes in flight; 32 by default. */
  readonly concurrency?: number;
  /** batchSize is how many Offers one create request carries; 100 by default. */
  readonly batchSize?: number;
  /** batchesInFlight bounds the create requests in flight; 8 by default. */
  readonly batchesInFlight?: number;
}

/** ApiPublisher implements the loop's publisher port against an OfferApi. */
export class ApiPublisher implements AllocatorPublisher {
  readonly #p: PublisherParts;

  constructor(parts: PublisherParts) {
    this.#p = parts;
  }

  /**
   * publishOffers creates one Offer per decision, `batchSize` to a request; a name that already
   * exists counts as created (a retried publish of the same decision). Returns the ids that
   * failed.
   */
  async publishOffers(
    decisions: readonly OfferDecision[],
    signal: AbortSignal,
  ): Promise<readonly string[]> {
    const size = Math.max(1, this.#p.batchSize ?? 100);
    const batches: OfferDecision[][] = [];
    for (let i = 0; i < decisions.length; i += size) batches.push(decisions.slice(i, i + size));
    const failed: string[] = [];
    const fail = (d: OfferDecision, err: unknown): void => {
      failed.push(d.offerId);
      this.#p.logger?.warn({ err, offer: d.offerId }, 'creating offer failed');
    };
    await this.#inFlight(batches, this.#p.batchesInFlight ?? 8, async batch => {
      let outcomes: readonly CreateOutcome[];
      try {
        const offers = batch.map(d => offerObject(d, this.#p.agentFacts(d.agent)));
        outcomes = await this.#p.api.createOffers(offers, signal);
      } catch (err) {
        for (const d of batch) fail(d, err);
        return;
      }
      batch.forEach((d, i) => {
        const outcome = outcomes[i];
        if (outcome === undefined) fail(d, new Error('no outcome for this offer'));
        else if (typeof outcome === 'object') fail(d, outcome.failed);
      });
    });
    return failed;
  }

  /**
   * rescindOffers deletes Offers at the version last seen, so an answer written meanwhile wins;
   * returns the ids not deleted (answered, or already gone).
   */
  async rescindOffers(
    rescinds: readonly RescindDecision[],
    signal: AbortSignal,
  ): Promise<readonly string[]> {
    const kept: string[] = [];
    await this.#inFlight(rescinds, this.#p.concurrency ?? 32, async r => {
      const { namespace, name } = splitKey(r.offerId);
      const resourceVersion = this.#p.resourceVersion(r.offerId);
      const ref =
        resourceVersion === undefined ? { namespace, name } : { namespace, name, resourceVersion };
      if ((await this.#p.api.deleteOffer(ref, signal)) !== 'deleted') kept.push(r.offerId);
    });
    return kept;
  }

  /** writeQuotaStatus writes each role's figures to its Quota object, if it has one. */
  async writeQuotaStatus(statuses: readonly QuotaRoleStatus[], signal: AbortSignal): Promise<void> {
    for (const s of statuses) {
      const quota = this.#p.quotaOf(s.role);
      if (quota?.metadata.name === undefined) continue;
      const generation = quota.metadata.generation;
      await this.#p.api.writeQuotaStatus(
        quota.metadata.name,
        {
          ...(generation === undefined ? {} : { observedGeneration: generation }),
          consumed: renderQuantities(s.consumed),
          offered: renderQuantities(s.offered),
          headroom: renderQuantities(s.headroom),
        },
        signal,
      );
    }
  }

  async #inFlight<T>(
    items: readonly T[],
    limit: number,
    work: (item: T) => Promise<void>,
  ): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length) await work(items[next++] as T);
    };
    await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  }
}
