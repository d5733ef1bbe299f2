import { expect } from 'chai';
import { corralKinds } from '../../../core/client/index.ts';
import { taskIdOf } from '../../../core/framework/index.ts';
import type { KubeObject } from '../../../core/types/index.ts';
import { systemClock } from '../../../core/util/clock.ts';
import { agentIndexes } from '../../../controllers/agents/indexes.ts';
import { OfferReconciler } from '../../../controllers/offers/controller.ts';
import { lookupOf } from '../../../controllers/offers/index.ts';
import { indexedRecords } from '../../../controllers/reservations/agent-model.ts';
import { Controller, Manager } from '../../../controllers/runtime/index.ts';
import { eventually } from '../../helpers/eventually.ts';
import {
  CREATE,
  LAUNCH,
  RESERVE,
  mounting,
  res,
  reserved,
  task,
  volume,
} from '../../unit/controllers/offers/engine/builders.ts';
import type { Budget, Flow } from './cluster.ts';
import {
  answer,
  budgeted,
  flowControllers,
  keepBeating,
  logger,
  makeAgent,
  makeEndedTask,
  makeFramework,
  makeNamespace,
  makeOffer,
  startFlow,
} from './cluster.ts';

describe('the offer controller killed between two writes of an accept (real API)', function () {
  this.timeout(120_000);
  let flow: Flow;
  before(async () => {
    flow = await startFlow(false);
  });
  after(async () => {
    await flow.stop();
  });

  // doomed runs an offer controller that dies after `writes` writes, until it has used them all.
  async function doomed(writes: number, ns: string): Promise<void> {
    const { client } = flow;
    const b: Budget = { left: writes };
    const manager = new Manager({ clock: systemClock, logger, client });
    const reconciler = new OfferReconciler({
      offers: manager.informer(corralKinds.offers).cache,
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
      offerApi: budgeted(client.for(corralKinds.offers), b),
      apis: {
        reservations: budgeted(client.for(corralKinds.reservations), b),
        volumes: budgeted(client.for(corralKinds.volumes), b),
        tasks: budgeted(client.for(corralKinds.tasks), b),
        operations: budgeted(client.for(corralKinds.operations), b),
      },
      clock: systemClock,
      logger,
    });
    manager.add(
      new Controller({ name: 'doomed-offers', reconciler, clock: systemClock, logger }).watch(
        manager.informer(corralKinds.offers),
      ),
    );
    const abort = new AbortController();
    const running = manager.start(abort.signal);
    await eventually(() => expect(b.left).to.equal(0), 10_000);
    // it may be midway through nothing more: let a retry or two fail, then it is gone
    await new Promise(r => setTimeout(r, 100));
    abort.abort();
    await running;
    const offers = await client.for(corralKinds.offers).list({ namespace: ns });
    expect(offers.items, 'the doomed controller did not finish').to.have.length(1);
  }

  async function state(ns: string, agent: string) {
    const { client } = flow;
    const mine = <T extends { spec: { agent: string } }>(l: { items: T[] }) =>
      l.items.filter(x => x.spec.agent === agent).map(x => ({ spec: x.spec }));
    const view = (l: { items: KubeObject[] }) =>
      l.items.map(o => ({
        name: o.metadata.name,
        state: (o['status'] as { state?: string } | undefined)?.state,
      }));
    return {
      offers: (await client.for(corralKinds.offers).list({ namespace: ns })).items.length,
      reservations: mine(await client.for(corralKinds.reservations).list()).length,
      volumes: mine(await client.for(corralKinds.volumes).list()).length,
      tasks: view(await client.for(corralKinds.tasks).list({ namespace: ns })),
      operations: view(await client.for(corralKinds.operations).list({ namespace: ns })),
    };
  }

  for (const writes of [1, 2, 4, 6, 8]) {
    it(`killed after ${writes} write(s), then restarted: exactly one of everything`, async () => {
      const { client } = flow;
      const agent =
        (await makeAgent(client, { cpus: '2', mem: '512', disk: '1024' })).metadata.name ?? '';
      const stop = keepBeating(client, agent);
      const ns = await makeNamespace(client);
      await makeFramework(client, ns);
      const offer = await makeOffer(client, ns, agent, res('cpus:2;mem:512;disk:1024'));
      await answer(client, offer, {
        accept: {
          operations: [
            RESERVE(reserved('cpus:1;mem:128;disk:512'), 'op-reserve'),
            CREATE(volume('256', { id: 'data' }), 'op-create'),
            LAUNCH([task('db', { cpus: '1', mem: '128' }, mounting('data'))]),
          ],
        },
      });
      await doomed(writes, ns);
      flow.startControllers();
      try {
        await eventually(async () => {
          expect(await state(ns, agent)).to.deep.equal({
            offers: 0,
            reservations: 1,
            volumes: 1,
            tasks: [{ name: 'db', state: 'TASK_STAGING' }],
            operations: [
              { name: 'op-create', state: 'OPERATION_PENDING' },
              { name: 'op-reserve', state: 'OPERATION_FINISHED' },
            ],
          });
        }, 15_000);
      } finally {
        await flow.stopControllers();
        stop();
      }
    });
  }

  for (const writes of [1, 3, 4]) {
    it(`a LAUNCH of a name an old Task holds, killed after ${writes} write(s), then restarted: one stand-in with TASK_ERROR, the old Task untouched`, async () => {
      const { client } = flow;
      const agent =
        (await makeAgent(client, { cpus: '2', mem: '512', disk: '1024' })).metadata.name ?? '';
      const stop = keepBeating(client, agent);
      const ns = await makeNamespace(client);
      await makeFramework(client, ns);
      const tasks = client.for(corralKinds.tasks);
      const old = await makeEndedTask(client, ns, agent, 'TASK_FAILED');
      const offer = await makeOffer(client, ns, agent, res('cpus:2;mem:512'));
      await answer(client, offer, {
        accept: { operations: [LAUNCH([task('db', { cpus: '1' }), task('web', { cpus: '1' })])] },
      });
      await doomed(writes, ns);
      // stand-ins kept while the test looks at them
      flow.startControllers(flowControllers({ standInRetentionMs: 600_000 }));
      try {
        await eventually(async () => {
          const list = (await tasks.list({ namespace: ns })).items;
          expect(
            list
              .map(t => [taskIdOf(t), t.metadata.uid === old.metadata.uid, t.status?.state])
              .sort(),
          ).to.deep.equal([
            ['db', false, 'TASK_ERROR'],
            ['db', true, 'TASK_FAILED'],
            ['web', false, 'TASK_STAGING'],
          ]);
          expect(
            (await client.for(corralKinds.offers).list({ namespace: ns })).items,
          ).to.deep.equal([]);
        }, 15_000);
      } finally {
        await flow.stopControllers();
        stop();
      }
    });
  }
});
