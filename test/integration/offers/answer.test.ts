import { expect } from 'chai';
import { corralKinds, isConflict } from '../../../core/client/index.ts';
import { Resources } from '../../../core/resources/index.ts';
import type { Operation, OperationState } from '../../../core/types/index.ts';
import { ACKNOWLEDGED_ANNOTATION } from '../../../controllers/operations/index.ts';
import { eventually } from '../../helpers/eventually.ts';
import {
  CREATE,
  DESTROY,
  LAUNCH,
  RESERVE,
  UNRESERVE,
  mounting,
  res,
  reserved,
  task,
  volume,
} from '../../unit/controllers/offers/engine/builders.ts';
import type { Flow } from './cluster.ts';
import { answer, makeOffer, makeWorld, startFlow } from './cluster.ts';

const OFFERED = res('cpus:2;mem:512;disk:1024');
const RESERVED = reserved('cpus:1;mem:128;disk:512');

describe('answering offers through the real API (offer, operation and reservation controllers)', function () {
  this.timeout(60_000);
  let flow: Flow;
  const stops: (() => void)[] = [];

  before(async () => {
    flow = await startFlow();
  });
  after(async () => {
    for (const s of stops) s();
    await flow.stop();
  });

  const world = () => makeWorld(flow.client, stops);

  it('RESERVE + CREATE + LAUNCH in one accept: each record exactly once, the Offer deleted, feedback PENDING → FINISHED on a watch', async () => {
    const { client } = flow;
    const { ns, agent } = await world();
    const ops = client.for(corralKinds.operations);
    const seen = new Map<string, OperationState[]>();
    const watching = new AbortController();
    // stopped even when an assertion fails, or the client would wait for the stream on close
    stops.push(() => watching.abort());
    void (async () => {
      try {
        for await (const ev of ops.watch({ namespace: ns, signal: watching.signal })) {
          if (ev.type === 'BOOKMARK') continue;
          const o: Operation = ev.object;
          const state = o.status?.state;
          if (state === undefined) continue;
          const list = seen.get(o.metadata.name ?? '') ?? [];
          if (list.at(-1) !== state) list.push(state);
          seen.set(o.metadata.name ?? '', list);
        }
      } catch {
        // aborted
      }
    })();
    const offer = await makeOffer(client, ns, agent, OFFERED);
    await answer(client, offer, {
      accept: {
        operations: [
          RESERVE(RESERVED, 'op-reserve'),
          CREATE(volume('256', { id: 'data' }), 'op-create'),
          LAUNCH([task('db', { cpus: '1', mem: '128' }, mounting('data'))]),
        ],
      },
    });
    await eventually(async () => {
      const left = await client.for(corralKinds.offers).list({ namespace: ns });
      expect(left.items).to.have.length(0);
    });
    const tasks = await client.for(corralKinds.tasks).list({ namespace: ns });
    expect(tasks.items.map(t => [t.metadata.name, t.status?.state])).to.deep.equal([
      ['db', 'TASK_STAGING'],
    ]);
    const mine = <T extends { spec: { agent: string } }>(l: { items: T[] }) =>
      l.items.filter(x => x.spec.agent === agent);
    const rsv = mine(await client.for(corralKinds.reservations).list());
    const vols = mine(await client.for(corralKinds.volumes).list());
    expect(rsv).to.have.length(1);
    expect(vols).to.have.length(1);
    expect(tasks.items[0]?.spec.volumes?.[0]?.persistentVolume?.name).to.equal(
      vols[0]?.metadata.name,
    );

    // the agent confirms the CREATE; the RESERVE needs no agent work and is finished anyway
    const create = await ops.get({ namespace: ns, name: 'op-create' });
    expect(create.status?.state).to.equal('OPERATION_PENDING');
    await ops.updateStatus({
      ...create,
      status: {
        ...create.status,
        state: 'OPERATION_FINISHED',
        lastTransitionTime: new Date().toISOString(),
      },
    });
    await eventually(() => {
      expect(seen.get('op-create')).to.deep.equal(['OPERATION_PENDING', 'OPERATION_FINISHED']);
      expect(seen.get('op-reserve')).to.deep.equal(['OPERATION_PENDING', 'OPERATION_FINISHED']);
    });
    await eventually(async () => {
      const r = await client
        .for(corralKinds.reservations)
        .get({ name: rsv[0]?.metadata.name ?? '' });
      expect(r.status?.conditions?.find(c => c.type === 'Applied')?.status).to.equal('True');
    });

    // acknowledged terminal operations are collected after the retention
    const done = await ops.get({ namespace: ns, name: 'op-create' });
    done.metadata.annotations = { ...done.metadata.annotations, [ACKNOWLEDGED_ANNOTATION]: 'true' };
    await ops.update(done);
    await eventually(async () => {
      const names = (await ops.list({ namespace: ns })).items.map(o => o.metadata.name);
      expect(names).to.deep.equal(['op-reserve']);
    });
  });

  it('an Offer answered twice: the second answer fails on its resourceVersion and changes nothing', async () => {
    const { client } = flow;
    const { ns, agent } = await world();
    const offer = await makeOffer(client, ns, agent, OFFERED);
    await answer(client, offer, { decline: { filters: { refuseSeconds: 5 } } });
    let refused: unknown;
    try {
      await answer(client, offer, {
        accept: { operations: [LAUNCH([task('late', { cpus: '1' })])] },
      });
    } catch (e) {
      refused = e;
    }
    expect(isConflict(refused) || (refused as { code?: number }).code === 404).to.equal(true);
    await eventually(async () => {
      expect((await client.for(corralKinds.offers).list({ namespace: ns })).items).to.have.length(
        0,
      );
    });
    expect((await client.for(corralKinds.tasks).list({ namespace: ns })).items).to.have.length(0);
  });

  it('ReservationTest R3: UNRESERVE is refused while a volume sits on the reservation (OPERATION_ERROR with the reason)', async () => {
    const { client } = flow;
    const { ns, agent } = await world();
    const v = volume('256', { id: 'pv' });
    const first = await makeOffer(client, ns, agent, OFFERED);
    await answer(client, first, { accept: { operations: [RESERVE(RESERVED), CREATE(v)] } });
    await eventually(async () => {
      expect((await client.for(corralKinds.offers).list({ namespace: ns })).items).to.have.length(
        0,
      );
    });
    const offered = Resources.of(v).add(reserved('disk:256'));
    // Naming the volume in an UNRESERVE is refused at admission, with Mesos's reason.
    const second = await makeOffer(client, ns, agent, offered);
    let refused: unknown;
    try {
      await answer(client, second, { accept: { operations: [UNRESERVE(offered, 'op-bad')] } });
    } catch (e) {
      refused = e;
    }
    expect((refused as Error).message).to.match(
      /destroy the persistent volume before unreserving it/,
    );
    // Unreserving the whole reserved disk while the volume sits on it: OPERATION_ERROR.
    await answer(client, second, {
      accept: { operations: [UNRESERVE(reserved('disk:512'), 'op-unreserve')] },
    });
    await eventually(async () => {
      const o = await client
        .for(corralKinds.operations)
        .get({ namespace: ns, name: 'op-unreserve' });
      expect(o.status?.state).to.equal('OPERATION_ERROR');
      expect(o.status?.message).to.match(/does not contain disk.*:512/);
      expect(o.metadata.annotations).to.have.property('corral.dev/rejected', 'true');
    });
    const mine = <T extends { spec: { agent: string } }>(l: { items: T[] }) =>
      l.items.filter(x => x.spec.agent === agent);
    expect(mine(await client.for(corralKinds.volumes).list())).to.have.length(1);
    // The operator's way (deleting the Reservation) is held, and says why.
    const rsvs = client.for(corralKinds.reservations);
    const [r] = mine(await rsvs.list());
    const [vol] = mine(await client.for(corralKinds.volumes).list());
    await rsvs.delete({ name: r?.metadata.name ?? '' });
    await eventually(async () => {
      const held = await rsvs.get({ name: r?.metadata.name ?? '' });
      expect(held.status?.conditions?.find(c => c.type === 'DeletionBlocked')?.message).to.equal(
        `reservation has volumes: ${vol?.metadata.name ?? ''}`,
      );
    });
  });

  it('DESTROY is refused while a task uses the volume, and so is deleting the Volume object (held, with the reason)', async () => {
    const { client } = flow;
    const { ns, agent } = await world();
    const shared = volume('256', { id: 'shared', shared: true });
    const first = await makeOffer(client, ns, agent, OFFERED);
    await answer(client, first, {
      accept: {
        operations: [
          RESERVE(RESERVED),
          CREATE(shared),
          LAUNCH([task('user', { cpus: '1' }, mounting('shared'))]),
        ],
      },
    });
    await eventually(async () => {
      expect((await client.for(corralKinds.tasks).list({ namespace: ns })).items).to.have.length(1);
    });
    const second = await makeOffer(client, ns, agent, Resources.of(shared));
    await answer(client, second, {
      accept: { operations: [DESTROY(Resources.of(shared), 'op-destroy')] },
    });
    await eventually(async () => {
      const o = await client.for(corralKinds.operations).get({ namespace: ns, name: 'op-destroy' });
      expect(o.status?.state).to.equal('OPERATION_ERROR');
      expect(o.status?.message).to.match(
        new RegExp(`Persistent volumes in use: .* by task ${ns}/user`),
      );
    });
    const vols = client.for(corralKinds.volumes);
    const [vol] = (await vols.list()).items.filter(x => x.spec.agent === agent);
    const name = vol?.metadata.name ?? '';
    await eventually(async () => {
      expect((await vols.get({ name })).status?.usedBy).to.deep.equal([`${ns}/user`]);
    });
    await vols.delete({ name });
    await eventually(async () => {
      const v = await vols.get({ name });
      expect(v.metadata.deletionTimestamp).to.be.a('string');
      expect(v.status?.conditions?.find(c => c.type === 'DeletionBlocked')?.message).to.equal(
        `volume ${name} in use by task ${ns}/user`,
      );
    });
    // the task ends (the agent reports it), and the deletion goes through
    const tasks = client.for(corralKinds.tasks);
    const t = await tasks.get({ namespace: ns, name: 'user' });
    await tasks.updateStatus({
      ...t,
      status: { state: 'TASK_FINISHED', source: 'SOURCE_EXECUTOR' },
    });
    await eventually(async () => {
      expect((await vols.list()).items.filter(x => x.spec.agent === agent)).to.have.length(0);
    });
  });
});
