// controllers/offers: the offer controller (answers become Reservations, Volumes, Tasks and
// Operations) over the pure offer engine in engine/.
import type { ObjectKey } from '../../core/client/index.ts';
import { corralKinds, isNotFound } from '../../core/client/index.ts';
import type { KubeObject } from '../../core/types/index.ts';
import { agentIndexes } from '../agents/indexes.ts';
import type { ControllerContext } from '../main.ts';
import { indexedRecords } from '../reservations/agent-model.ts';
import type { Runnable } from '../runtime/index.ts';
import { Controller } from '../runtime/index.ts';
import type { Lookup } from './controller.ts';
import { OfferReconciler } from './controller.ts';

export type { Lookup, OfferApi, OfferControllerOptions } from './controller.ts';
export { OfferReconciler } from './controller.ts';
export type { RecordCaches } from './pending.ts';
export { pendingChanges } from './pending.ts';
export type { SavedPlan } from './plan-store.ts';
export { PLAN_ANNOTATION, loadPlan, savedPlanOf, withPlan } from './plan-store.ts';
export type { RecordApi, RecordApis, WriteContext } from './record-writer.ts';
export { writeChange } from './record-writer.ts';

/** lookupOf reads one object, undefined on NotFound. */
export function lookupOf<T extends KubeObject>(api: {
  get(key: ObjectKey, opts?: { signal?: AbortSignal }): Promise<T>;
}): Lookup<T> {
  return async (key, signal) => {
    try {
      return await api.get(key, { signal });
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  };
}

/** DEFAULT_OFFER_WORKERS is `--offer-workers`'s default (see OfferControllerConfig.workers). */
export const DEFAULT_OFFER_WORKERS = 48;

/** OfferControllerConfig tunes the offer controller. */
export interface OfferControllerConfig {
  /**
   * workers answer offers of different agents and frameworks in parallel; 48 by default. A pass
   * mostly waits on the API (its plan saved, its records written, its Offer deleted: three
   * requests in a row), so the workers bound the answers per second to workers ÷ a pass's time:
   * with 16, 5000 hollow agents' answers waited in line while the machine had CPU to spare
   * (bench e2e: about 800 tasks/s, against 920–1000 with 48; 64 and more only lengthened the
   * API server's queue and the latency of every write).
   */
  readonly workers?: number;
}

/** offerController builds the offer controller from the controllers' context. */
export function offerController(
  config: OfferControllerConfig = {},
): (ctx: ControllerContext) => Runnable {
  return ({ client, manager, clock, logger }) => {
    const offers = manager.informer(corralKinds.offers);
    // the reconciler wakes Offers it parked behind a busy agent or framework through the queue
    const box: { controller?: Controller } = {};
    const reconciler = new OfferReconciler({
      offers: offers.cache,
      frameworks: manager.informer(corralKinds.frameworks).cache,
      agents: manager.informer(corralKinds.agents).cache,
      lookup: {
        framework: lookupOf(client.for(corralKinds.frameworks)),
        agent: lookupOf(client.for(corralKinds.agents)),
      },
      records: {
        reservations: manager.informer(corralKinds.reservations).cache,
        volumes: manager.informer(corralKinds.volumes).cache,
        tasks: manager.informer(corralKinds.tasks).cache,
        operations: manager.informer(corralKinds.operations).cache,
      },
      agentRecords: indexedRecords(agentIndexes(manager)),
      offerApi: client.for(corralKinds.offers),
      apis: {
        reservations: client.for(corralKinds.reservations),
        volumes: client.for(corralKinds.volumes),
        tasks: client.for(corralKinds.tasks),
        operations: client.for(corralKinds.operations),
      },
      clock,
      logger,
      wake: req => box.controller?.enqueue(req),
    });
    const controller = new Controller({
      name: 'offers',
      reconciler,
      clock,
      logger,
      workers: config.workers ?? DEFAULT_OFFER_WORKERS,
    }).watch(offers);
    box.controller = controller;
    return controller;
  };
}
