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

/** OfferControllerConfig tunes the offer controller. */
export interface OfferControllerConfig {
  /** workers answer offers of different agents and frameworks in parallel; 16 by default (a pass
   * mostly waits on the API: its plan is saved, its records written, its Offer deleted). */
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
      workers: config.workers ?? 16,
    }).watch(offers);
    box.controller = controller;
    return controller;
  };
}
