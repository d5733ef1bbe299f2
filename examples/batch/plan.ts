// How the batch framework answers a batch of offers: as many pending tasks as each offer holds,
// in order, first offer first; the offers it does not need are declined. The batch's tasks all
// ask for the same resources, so an offer is full at the first task that does not fit: no later
// task would fit either. Stopping there keeps a plan linear in what it launches; trying every
// pending task against every offer (first fit) is offers × pending (5000 offers × 20000 tasks
// blocks the framework for minutes: long enough to miss its liveness renewals).
import type { Offer, TaskTemplate } from '../../core/types/index.ts';
import { offerResources, pickResources, toResources } from '../../sdk/index.ts';

/** OfferPlan is what to do with the offers: launch these tasks on these offers, decline the rest. */
export interface OfferPlan {
  readonly launches: readonly { readonly offer: Offer; readonly tasks: TaskTemplate[] }[];
  readonly declines: readonly Offer[];
  /** pending are the tasks still waiting for resources after this plan. */
  readonly pending: TaskTemplate[];
}

/**
 * planOffers packs `pending` tasks into `offers` in order, each taking its requests as the offer
 * controller would pick them; an offer takes tasks until one does not fit.
 */
export function planOffers(offers: readonly Offer[], pending: readonly TaskTemplate[]): OfferPlan {
  let next = 0;
  const launches: { offer: Offer; tasks: TaskTemplate[] }[] = [];
  const declines: Offer[] = [];
  for (const offer of offers) {
    const tasks: TaskTemplate[] = [];
    let remaining = next < pending.length ? offerResources(offer) : undefined;
    for (let t = pending[next]; remaining !== undefined && t !== undefined; t = pending[next]) {
      const picked = pickResources(remaining, toResources(t.spec.resources));
      if (picked === undefined) break;
      tasks.push(t);
      remaining = remaining.subtract(picked);
      next++;
    }
    if (tasks.length === 0) declines.push(offer);
    else launches.push({ offer, tasks });
  }
  return { launches, declines, pending: pending.slice(next) };
}
