// How the batch framework answers a batch of offers: as many pending tasks as each offer holds,
// first offer first; the offers it does not need are declined.
import type { Offer, TaskTemplate } from '../../core/types/index.ts';
import { offerResources, packTasks } from '../../sdk/index.ts';

/** OfferPlan is what to do with the offers: launch these tasks on these offers, decline the rest. */
export interface OfferPlan {
  readonly launches: readonly { readonly offer: Offer; readonly tasks: TaskTemplate[] }[];
  readonly declines: readonly Offer[];
  /** pending are the tasks still waiting for resources after this plan. */
  readonly pending: TaskTemplate[];
}

/** planOffers packs `pending` tasks into `offers`, in order, as the offer controller would pick. */
export function planOffers(offers: readonly Offer[], pending: readonly TaskTemplate[]): OfferPlan {
  let left = [...pending];
  const launches: { offer: Offer; tasks: TaskTemplate[] }[] = [];
  const declines: Offer[] = [];
  for (const offer of offers) {
    const { packed, rest } =
      left.length === 0 ? { packed: [], rest: [] } : packTasks(offerResources(offer), left);
    if (packed.length === 0) {
      declines.push(offer);
      continue;
    }
    launches.push({ offer, tasks: packed });
    left = rest;
  }
  return { launches, declines, pending: left };
}
