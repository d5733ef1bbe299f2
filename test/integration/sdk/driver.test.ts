import { expect } from 'chai';
import type { Client } from '../../../core/client/index.ts';
import { corralKinds } from '../../../core/client/index.ts';
import type { Offer, Operation, Task } from '../../../core/types/index.ts';
import type { FrameworkDriver, RegisteredInfo, Scheduler } from '../../../sdk/index.ts';
import {
  ACKNOWLEDGED_ANNOTATION,
  OfferRescinded,
  REVIVE_ANNOTATION,
  connect,
  launch,
} from '../../../sdk/index.ts';
import type { TestApiServer } from '../../helpers/api-server.ts';
import { startTestApiServer } from '../../helpers/api-server.ts';
import { eventually } from '../../helpers/eventually.ts';
import {
  ROLE,
  logger,
  makeNamespace,
  makeOffer,
  makeOperation,
  makeTask,
  setTaskState,
  unique,
} from './world.ts';
import { Client as ApiClient } from '../../../core/client/index.ts';

/** Seen records what the driver delivered. */
class Seen implements Scheduler {
  registered: RegisteredInfo[] = [];
  offers: Offer[] = [];
  rescinded: string[] = [];
  states: string[] = [];
  operations: string[] = [];
  errors: unknown[] = [];
  onRegistered(info: RegisteredInfo): void {
    this.registered.push(info);
  }
  onOffers(offers: readonly Offer[]): void {
    this.offers.push(...offers);
  }
  onRescinded(o: Offer): void {
    this.rescinded.push(o.metadata.name ?? '');
  }
  onTaskStatus(t: Task): void {
    this.states.push(`${t.metadata.name ?? ''}:${t.status?.state ?? ''}`);
  }
  onOperationStatus(op: Operation): void {
    this.operations.push(`${op.metadata.name ?? ''}:${op.status?.state ?? ''}`);
  }
  onError(e: unknown): void {
    this.errors.push(e);
  }
}

describe('sdk driver against the real API server', function () {
  this.timeout(60_000);
  let api: TestApiServer;
  let client: Client;
  const drivers: FrameworkDriver[] = [];

  before(async () => {
    api = await startTestApiServer({ crdDir: 'crds' });
    client = ApiClient.fromKubeConfig(api.kubeConfig);
  });
  after(async () => {
    await Promise.all(drivers.map(d => d.stop({ deactivate: false })));
    await client.close();
    await api.stop();
  });

  async function start(ns: string, name: string, seen: Scheduler): Promise<FrameworkDriver> {
    const d = await connect({
      kubeConfig: api.kubeConfig,
      namespace: ns,
      name,
      framework: { roles: [ROLE], principal: 'analytics', failoverTimeoutSeconds: 3600 },
      scheduler: seen,
      logger,
    });
    drivers.push(d);
    return d;
  }

  it('registers a Framework, marked Active, and tells onRegistered', async () => {
    const ns = await makeNamespace(client);
    const seen = new Seen();
    const d = await start(ns, 'reg', seen);
    const fw = await client.for(corralKinds.frameworks).get({ namespace: ns, name: 'reg' });
    expect(fw.spec).to.deep.include({ roles: [ROLE], principal: 'analytics' });
    const active = fw.status?.conditions?.find(c => c.type === 'Active');
    expect(active?.status).to.equal('True');
    await d.idle();
    expect(seen.registered.map(r => r.reregistered)).to.deep.equal([false]);
  });

  it('sees the offers the allocator writes, accepts one with a LAUNCH and declines another, each answer pinned', async () => {
    const ns = await makeNamespace(client);
    const seen = new Seen();
    const d = await start(ns, 'fw', seen);
    const o1 = await makeOffer(client, ns, 'fw');
    const o2 = await makeOffer(client, ns, 'fw');
    await makeOffer(client, ns, 'another-framework'); // not this framework's
    await eventually(() =>
      expect(seen.offers.map(o => o.metadata.name)).to.have.members([
        o1.metadata.name,
        o2.metadata.name,
      ]),
    );
    const [first, second] = seen.offers as [Offer, Offer];
    const ops = [
      launch([
        {
          name: 'sleeper',
          spec: { resources: { cpus: 1, mem: 64 }, command: { value: 'sleep 1' } },
        },
      ]),
    ];
    await d.accept(first, ops, { refuseSeconds: 30 });
    await d.decline(second, { refuseSeconds: 120 });
    const offers = client.for(corralKinds.offers);
    const a = await offers.get({ namespace: ns, name: first.metadata.name ?? '' });
    const b = await offers.get({ namespace: ns, name: second.metadata.name ?? '' });
    // as written, with the schema's defaults filled in by the server
    const launched = ops[0]!.launch!.tasks[0]!;
    expect(a.spec.response).to.deep.equal({
      accept: {
        operations: [
          {
            type: 'LAUNCH',
            launch: {
              tasks: [
                {
                  ...launched,
                  spec: {
                    ...launched.spec,
                    command: { value: 'sleep 1', shell: true },
                    networkMode: 'host',
                  },
                },
              ],
            },
          },
        ],
        filters: { refuseSeconds: 30 },
      },
    });
    expect(b.spec.response).to.deep.equal({ decline: { filters: { refuseSeconds: 120 } } });
    // Pinned: the answer landed on exactly the version the framework was offered.
    expect(Number(a.metadata.resourceVersion)).to.be.greaterThan(
      Number(first.metadata.resourceVersion),
    );
    expect(d.outstandingOffers()).to.deep.equal([]);
  });

  it('an answer to an offer deleted meanwhile surfaces OfferRescinded, and onRescinded tells of it', async () => {
    const ns = await makeNamespace(client);
    const seen = new Seen();
    const d = await start(ns, 'fw', seen);
    const o = await makeOffer(client, ns, 'fw');
    await eventually(() => expect(seen.offers).to.have.length(1));
    await client.for(corralKinds.offers).delete({ namespace: ns, name: o.metadata.name ?? '' });
    const e = await d.accept(seen.offers[0]!, []).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(OfferRescinded).and.include({ reason: 'NotFound' });
    await eventually(() => expect(seen.rescinded).to.deep.equal([o.metadata.name]));
  });

  it('an answer to an offer changed since it was read surfaces OfferRescinded Conflict', async () => {
    const ns = await makeNamespace(client);
    const seen = new Seen();
    const d = await start(ns, 'fw', seen);
    const o = await makeOffer(client, ns, 'fw');
    await eventually(() => expect(seen.offers).to.have.length(1));
    const offers = client.for(corralKinds.offers);
    await offers.patch(
      { namespace: ns, name: o.metadata.name ?? '' },
      { metadata: { labels: { touched: 'yes' } } },
    );
    const e = await d.decline(seen.offers[0]!).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(OfferRescinded).and.include({ reason: 'Conflict' });
    const after = await offers.get({ namespace: ns, name: o.metadata.name ?? '' });
    expect(after.spec.response).to.equal(undefined);
    // the changed offer is delivered again and can be answered
    await eventually(() => expect(seen.offers).to.have.length(2));
    await d.decline(seen.offers[1]!);
  });

  it('delivers task status transitions as the agent writes them', async () => {
    const ns = await makeNamespace(client);
    const seen = new Seen();
    await start(ns, 'fw', seen);
    await makeTask(client, ns, 'fw', 't1');
    for (const s of ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED'] as const) {
      await setTaskState(client, ns, 't1', s);
      await eventually(() => expect(seen.states.at(-1)).to.equal(`t1:${s}`));
    }
    expect(seen.states).to.deep.equal([
      't1:TASK_STAGING',
      't1:TASK_STARTING',
      't1:TASK_RUNNING',
      't1:TASK_FINISHED',
    ]);
  });

  it('after a restart re-registers, reconcile returns the existing tasks, and they are replayed', async () => {
    const ns = await makeNamespace(client);
    const first = await start(ns, 'fw', new Seen());
    await makeTask(client, ns, 'fw', 'keeper');
    await setTaskState(client, ns, 'keeper', 'TASK_RUNNING');
    const op = await makeOperation(client, ns, 'fw', 'OPERATION_PENDING');
    await first.stop();
    const fws = client.for(corralKinds.frameworks);
    const stopped = await fws.get({ namespace: ns, name: 'fw' });
    expect(stopped.status?.conditions?.find(c => c.type === 'Active')?.status).to.equal('False');

    const seen = new Seen();
    const again = await start(ns, 'fw', seen);
    const { tasks, operations } = await again.reconcile();
    expect(tasks.map(t => [t.metadata.name, t.status?.state])).to.deep.equal([
      ['keeper', 'TASK_RUNNING'],
    ]);
    expect(operations.map(o => o.metadata.name)).to.deep.equal([op.metadata.name]);
    await again.idle();
    expect(seen.registered.map(r => r.reregistered)).to.deep.equal([true]);
    expect(seen.states).to.deep.equal(['keeper:TASK_RUNNING']);
    const back = await fws.get({ namespace: ns, name: 'fw' });
    expect(back.status?.conditions?.find(c => c.type === 'Active')?.status).to.equal('True');
  });

  it('stop marks the framework inactive and declines, with no filter, the offers it still holds', async () => {
    const ns = await makeNamespace(client);
    const seen = new Seen();
    const d = await start(ns, 'fw', seen);
    const o = await makeOffer(client, ns, 'fw');
    await eventually(() => expect(seen.offers).to.have.length(1));
    await d.stop();
    const after = await client
      .for(corralKinds.offers)
      .get({ namespace: ns, name: o.metadata.name ?? '' });
    expect(after.spec.response).to.deep.equal({ decline: { filters: { refuseSeconds: 0 } } });
  });

  it('acknowledges a finished operation by its annotation; kill deletes a task', async () => {
    const ns = await makeNamespace(client);
    const seen = new Seen();
    const d = await start(ns, 'fw', seen);
    const op = await makeOperation(client, ns, 'fw', 'OPERATION_FINISHED');
    const ops = client.for(corralKinds.operations);
    await eventually(async () => {
      const got = await ops.get({ namespace: ns, name: op.metadata.name ?? '' });
      expect(got.metadata.annotations?.[ACKNOWLEDGED_ANNOTATION]).to.equal('true');
    });
    expect(seen.operations).to.deep.equal([`${op.metadata.name ?? ''}:OPERATION_FINISHED`]);
    await makeTask(client, ns, 'fw', 'doomed');
    expect(await d.kill('doomed')).to.equal(true);
    const left = await client.for(corralKinds.tasks).list({ namespace: ns });
    expect(left.items).to.deep.equal([]);
  });

  it('suppress and revive write what the allocator reads', async () => {
    const ns = await makeNamespace(client);
    const d = await start(ns, unique('fw'), new Seen());
    const fws = client.for(corralKinds.frameworks);
    await d.suppress();
    let fw = await fws.get({ namespace: ns, name: d.name });
    expect(fw.spec.suppressedRoles).to.deep.equal([ROLE]);
    await d.revive();
    fw = await fws.get({ namespace: ns, name: d.name });
    expect(fw.spec.suppressedRoles).to.equal(undefined);
    const token = fw.metadata.annotations?.[REVIVE_ANNOTATION];
    expect(token).to.be.a('string');
    await d.revive();
    fw = await fws.get({ namespace: ns, name: d.name });
    expect(fw.metadata.annotations?.[REVIVE_ANNOTATION]).to.not.equal(token);
  });

  it('teardown deletes the tasks and the Framework', async () => {
    const ns = await makeNamespace(client);
    const d = await start(ns, 'fw', new Seen());
    await makeTask(client, ns, 'fw', 'a');
    await makeTask(client, ns, 'fw', 'b');
    await d.teardown();
    await d.done;
    expect((await client.for(corralKinds.tasks).list({ namespace: ns })).items).to.deep.equal([]);
    expect((await client.for(corralKinds.frameworks).list({ namespace: ns })).items).to.deep.equal(
      [],
    );
  });
});
