import { expect } from 'chai';
import { corralKinds, isNotFound } from '../../../core/client/index.ts';
import type { ClientError } from '../../../core/client/index.ts';
import type { Task, Volume } from '../../../core/types/index.ts';
import { AGENT_FINALIZER } from '../../../core/types/index.ts';
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
import type { Flow } from './cluster.ts';
import {
  answer,
  keepBeating,
  makeAgent,
  makeFramework,
  makeNamespace,
  makeOffer,
  startFlow,
} from './cluster.ts';

describe('agent loss and framework loss through the real API (agent health, task, operation controllers)', function () {
  this.timeout(60_000);
  let flow: Flow;
  before(async () => {
    flow = await startFlow();
  });
  after(async () => {
    await flow.stop();
  });

  // launch runs tasks on the agent for a framework of `ns`, as an accepted offer does (created
  // STAGING and holding the agent's finalizer), and plays the agent: it reports them RUNNING, its
  // only write. With `volume` the answer
  // also creates a volume (persistence id and operation id `volume`), which the tasks mount when
  // `mount` is set.
  async function launch(
    ns: string,
    agent: string,
    names: string[],
    o: { readonly volume?: string; readonly mount?: boolean } = {},
  ) {
    const { client } = flow;
    const opId = o.volume;
    const offer = await makeOffer(client, ns, agent, res('cpus:1;mem:128;disk:64'));
    const over = o.mount === true && opId !== undefined ? mounting(opId) : {};
    const operations = [
      ...(opId === undefined ? [] : [CREATE(volume('32', { id: opId }), opId)]),
      LAUNCH(names.map(n => task(n, { cpus: '0.1' }, over))),
    ];
    const withReserve =
      opId === undefined ? operations : [RESERVE(reserved('disk:64')), ...operations];
    await answer(client, offer, { accept: { operations: withReserve } });
    const tasks = client.for(corralKinds.tasks);
    for (const n of names) {
      const t = await eventually(async () => {
        const got = await tasks.get({ namespace: ns, name: n });
        expect(got.status?.state).to.equal('TASK_STAGING');
        expect(got.metadata.finalizers).to.deep.equal([AGENT_FINALIZER]);
        return got;
      });
      await tasks.updateStatus({
        ...t,
        status: {
          state: 'TASK_RUNNING',
          source: 'SOURCE_EXECUTOR',
          lastTransitionTime: new Date().toISOString(),
        },
      });
    }
  }

  const taskOf = (ns: string, name: string): Promise<Task> =>
    flow.client.for(corralKinds.tasks).get({ namespace: ns, name });

  it('PartitionTest.PartitionedSlave + MESOS-7215: heartbeats stop → Unreachable, tasks UNREACHABLE or LOST; heartbeats resume → cleared, tasks kept', async () => {
    const { client } = flow;
    const agent =
      (await makeAgent(client, { cpus: '2', mem: '512', disk: '256' })).metadata.name ?? '';
    const aware = await makeNamespace(client);
    const plain = await makeNamespace(client);
    await makeFramework(client, aware, ['PARTITION_AWARE', 'MULTI_ROLE']);
    await makeFramework(client, plain, ['MULTI_ROLE']);
    let stop = keepBeating(client, agent);
    await launch(aware, agent, ['a1'], { volume: 'vol-a' });
    await launch(plain, agent, ['p1']);
    const ops = client.for(corralKinds.operations);
    expect((await ops.get({ namespace: aware, name: 'vol-a' })).status?.state).to.equal(
      'OPERATION_PENDING',
    );

    stop(); // the agent is partitioned away
    await eventually(async () => {
      const a = await client.for(corralKinds.agents).get({ name: agent });
      expect(a.status?.conditions?.find(c => c.type === 'Unreachable')?.status).to.equal('True');
      expect(a.status?.conditions?.find(c => c.type === 'Ready')?.status).to.equal('False');
      expect((await taskOf(aware, 'a1')).status).to.deep.include({
        state: 'TASK_UNREACHABLE',
        reason: 'REASON_AGENT_REMOVED',
      });
      expect((await taskOf(aware, 'a1')).status?.unreachableTime).to.be.a('string');
      expect((await taskOf(plain, 'p1')).status).to.deep.include({
        state: 'TASK_LOST',
        source: 'SOURCE_MASTER',
      });
      expect((await ops.get({ namespace: aware, name: 'vol-a' })).status?.state).to.equal(
        'OPERATION_UNREACHABLE',
      );
    }, 10_000);

    stop = keepBeating(client, agent); // it comes back
    await eventually(async () => {
      const a = await client.for(corralKinds.agents).get({ name: agent });
      expect(a.status?.conditions?.find(c => c.type === 'Unreachable')?.status).to.equal('False');
      expect((await ops.get({ namespace: aware, name: 'vol-a' })).status?.state).to.equal(
        'OPERATION_PENDING',
      );
    }, 10_000);
    // the agent reports its tasks again; nobody killed them, and the controllers leave them be
    for (const [ns, n] of [
      [aware, 'a1'],
      [plain, 'p1'],
    ] as const) {
      const t = await taskOf(ns, n);
      expect(t.metadata.deletionTimestamp).to.equal(undefined);
      await client.for(corralKinds.tasks).updateStatus({
        ...t,
        status: {
          state: 'TASK_RUNNING',
          source: 'SOURCE_EXECUTOR',
          lastTransitionTime: new Date().toISOString(),
        },
      });
    }
    await new Promise(r => setTimeout(r, 1000));
    expect((await taskOf(aware, 'a1')).status?.state).to.equal('TASK_RUNNING');
    expect((await taskOf(plain, 'p1')).status?.state).to.equal('TASK_RUNNING');
    stop();
  });

  it('MasterAPITest.TaskUpdatesUponAgentGone + OperationUpdatesUponAgentGone: marked gone → GONE_BY_OPERATOR, finalizers released', async () => {
    const { client } = flow;
    const agent =
      (await makeAgent(client, { cpus: '2', mem: '512', disk: '256' })).metadata.name ?? '';
    const ns = await makeNamespace(client);
    await makeFramework(client, ns, ['PARTITION_AWARE', 'MULTI_ROLE']);
    const stop = keepBeating(client, agent);
    await launch(ns, agent, ['g1'], { volume: 'vol-g' });
    stop();
    const agents = client.for(corralKinds.agents);
    const a = await agents.get({ name: agent });
    await agents.update({ ...a, spec: { ...a.spec, gone: true } });
    await eventually(async () => {
      const t = await taskOf(ns, 'g1');
      expect(t.status).to.deep.include({
        state: 'TASK_GONE_BY_OPERATOR',
        reason: 'REASON_AGENT_REMOVED_BY_OPERATOR',
      });
      expect(t.metadata.finalizers ?? []).to.deep.equal([]);
      const op = await client.for(corralKinds.operations).get({ namespace: ns, name: 'vol-g' });
      expect(op.status?.state).to.equal('OPERATION_GONE_BY_OPERATOR');
    });
    // gone is for good: the API refuses to bring it back
    const gone = await agents.get({ name: agent });
    let refused: ClientError | undefined;
    try {
      await agents.update({ ...gone, spec: { ...gone.spec, gone: false } });
    } catch (e) {
      refused = e as ClientError;
    }
    expect(refused?.code).to.equal(422);
  });

  it('PersistentVolumeTest (DESTROY_VOLUMES) + MESOS-7215: a volume a TASK_LOST task of an unreachable agent mounts is not destroyed until the agent is marked gone', async () => {
    const { client } = flow;
    const agent =
      (await makeAgent(client, { cpus: '2', mem: '512', disk: '256' })).metadata.name ?? '';
    const ns = await makeNamespace(client);
    await makeFramework(client, ns, ['MULTI_ROLE']); // not partition-aware: TASK_LOST
    const stop = keepBeating(client, agent);
    await launch(ns, agent, ['l1'], { volume: 'vol-l', mount: true });
    const volumes = client.for(corralKinds.volumes);
    const mine = async (): Promise<Volume | undefined> =>
      (await volumes.list()).items.find(v => v.spec.agent === agent);
    const name = await eventually(async () => {
      const v = await mine();
      expect(v?.status?.usedBy).to.deep.equal([`${ns}/l1`]);
      return v?.metadata.name ?? '';
    }, 10_000);

    stop(); // partitioned: the task becomes a provisional TASK_LOST, and may still be running
    await eventually(async () => {
      expect((await taskOf(ns, 'l1')).status).to.deep.include({
        state: 'TASK_LOST',
        source: 'SOURCE_MASTER',
        reason: 'REASON_AGENT_REMOVED',
      });
    }, 10_000);

    // DESTROY_VOLUMES while the agent is away: refused, the task may still write to the volume
    await volumes.delete({ name });
    await eventually(async () => {
      const v = await volumes.get({ name });
      expect(v.metadata.finalizers).to.include('corral.dev/volume');
      expect(v.status?.conditions?.find(c => c.type === 'DeletionBlocked')).to.deep.include({
        status: 'True',
        reason: 'Conflict',
        message: `volume ${name} in use by task ${ns}/l1`,
      });
    }, 10_000);
    const destroys = async () =>
      (await client.for(corralKinds.operations).list()).items.filter(
        o => o.spec.agent === agent && o.spec.type === 'DESTROY',
      );
    expect(await destroys()).to.have.length(0);

    // MARK_AGENT_GONE: the task's TASK_LOST is final, and the volume goes
    const agents = client.for(corralKinds.agents);
    const a = await agents.get({ name: agent });
    await agents.update({ ...a, spec: { ...a.spec, gone: true } });
    await eventually(async () => {
      expect((await taskOf(ns, 'l1')).status).to.deep.include({
        state: 'TASK_LOST',
        reason: 'REASON_AGENT_REMOVED_BY_OPERATOR',
      });
      const left = await volumes.get({ name }).catch((e: unknown) => {
        if (isNotFound(e)) return undefined;
        throw e;
      });
      expect(left, 'the Volume is deleted').to.equal(undefined);
    }, 10_000);
    // nothing is sent to an agent that will never come back
    expect(await destroys()).to.have.length(0);
  });

  it('a launched Task its agent never started, deleted: held by the finalizer until the agent is marked gone, then released and gone', async () => {
    const { client } = flow;
    const agent =
      (await makeAgent(client, { cpus: '2', mem: '512', disk: '256' })).metadata.name ?? '';
    const ns = await makeNamespace(client);
    await makeFramework(client, ns, ['PARTITION_AWARE', 'MULTI_ROLE']);
    const stop = keepBeating(client, agent);
    const offer = await makeOffer(client, ns, agent, res('cpus:1;mem:128'));
    await answer(client, offer, {
      accept: { operations: [LAUNCH([task('n1', { cpus: '0.1' })])] },
    });
    const tasks = client.for(corralKinds.tasks);
    const made = await eventually(() => taskOf(ns, 'n1'));
    expect(made.status?.state).to.equal('TASK_STAGING');
    expect(made.metadata.finalizers).to.deep.equal([AGENT_FINALIZER]);
    // nobody plays the agent here: the deletion waits for it
    await tasks.delete({ namespace: ns, name: 'n1' });
    expect((await taskOf(ns, 'n1')).metadata.deletionTimestamp).to.be.a('string');
    stop();
    const agents = client.for(corralKinds.agents);
    const a = await agents.get({ name: agent });
    await agents.update({ ...a, spec: { ...a.spec, gone: true } });
    await eventually(async () => {
      const err = await taskOf(ns, 'n1').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isNotFound(err), 'the Task is gone').to.equal(true);
    }, 10_000);
  });

  it('a framework deleted for longer than its failover timeout has its tasks killed; its reservations and volumes stay', async () => {
    const { client } = flow;
    const agent =
      (await makeAgent(client, { cpus: '2', mem: '512', disk: '256' })).metadata.name ?? '';
    const ns = await makeNamespace(client);
    const stop = keepBeating(client, agent);
    await makeFramework(client, ns, ['MULTI_ROLE'], 1);
    await launch(ns, agent, ['f1', 'f2'], { volume: 'vol-f' });
    await client.for(corralKinds.frameworks).delete({ namespace: ns, name: 'fw' });
    const tasks = client.for(corralKinds.tasks);
    await eventually(async () => {
      const list = (await tasks.list({ namespace: ns })).items;
      expect(list.map(t => t.metadata.deletionTimestamp !== undefined)).to.deep.equal([true, true]);
    }, 10_000);
    // the agent confirms the kills
    for (const t of (await tasks.list({ namespace: ns })).items) {
      await tasks.update({ ...t, metadata: { ...t.metadata, finalizers: [] } });
    }
    expect((await tasks.list({ namespace: ns })).items).to.have.length(0);
    const mine = <T extends { spec: { agent: string } }>(l: { items: T[] }) =>
      l.items.filter(x => x.spec.agent === agent);
    expect(mine(await client.for(corralKinds.reservations).list())).to.have.length(1);
    expect(mine(await client.for(corralKinds.volumes).list())).to.have.length(1);
    stop();
  });

  it('a re-registration the reconfiguration policy refuses is a clear 422 naming the field', async () => {
    const { client } = flow;
    const agents = client.for(corralKinds.agents);
    const created = await makeAgent(client, { cpus: '2', mem: '512' });
    const a = await agents.get({ name: created.metadata.name ?? '' });
    let refused: ClientError | undefined;
    try {
      await agents.update({ ...a, spec: { ...a.spec, resources: { cpus: '1', mem: '512' } } });
    } catch (e) {
      refused = e as ClientError;
    }
    expect(refused?.code).to.equal(422);
    expect(refused?.reason).to.equal('Invalid');
    expect(refused?.message).to.match(
      /spec\.resources.*resources cannot change under the equal reconfiguration policy/,
    );
  });
});
