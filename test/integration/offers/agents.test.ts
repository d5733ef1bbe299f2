import { expect } from 'chai';
import { corralKinds } from '../../../core/client/index.ts';
import type { ClientError } from '../../../core/client/index.ts';
import type { Task } from '../../../core/types/index.ts';
import { eventually } from '../../helpers/eventually.ts';
import {
  CREATE,
  LAUNCH,
  RESERVE,
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

const AGENT_FINALIZER = 'corral.dev/agent';

describe('agent loss and framework loss through the real API (agent health, task, operation controllers)', function () {
  this.timeout(60_000);
  let flow: Flow;
  before(async () => {
    flow = await startFlow();
  });
  after(async () => {
    await flow.stop();
  });

  // launch runs tasks on the agent for a framework of `ns`, as an accepted offer does, and plays
  // the agent: it holds them with its finalizer and reports them RUNNING.
  async function launch(ns: string, agent: string, names: string[], opId?: string) {
    const { client } = flow;
    const offer = await makeOffer(client, ns, agent, res('cpus:1;mem:128;disk:64'));
    const operations = [
      ...(opId === undefined ? [] : [CREATE(volume('32', { id: opId }), opId)]),
      LAUNCH(names.map(n => task(n, { cpus: '0.1' }))),
    ];
    const withReserve =
      opId === undefined ? operations : [RESERVE(reserved('disk:64')), ...operations];
    await answer(client, offer, { accept: { operations: withReserve } });
    const tasks = client.for(corralKinds.tasks);
    for (const n of names) {
      const t = await eventually(async () => {
        const got = await tasks.get({ namespace: ns, name: n });
        expect(got.status?.state).to.equal('TASK_STAGING');
        return got;
      });
      const held = await tasks.update({
        ...t,
        metadata: { ...t.metadata, finalizers: [AGENT_FINALIZER] },
      });
      await tasks.updateStatus({
        ...held,
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
    await launch(aware, agent, ['a1'], 'vol-a');
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
    await launch(ns, agent, ['g1'], 'vol-g');
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

  it('a framework deleted for longer than its failover timeout has its tasks killed; its reservations and volumes stay', async () => {
    const { client } = flow;
    const agent =
      (await makeAgent(client, { cpus: '2', mem: '512', disk: '256' })).metadata.name ?? '';
    const ns = await makeNamespace(client);
    const stop = keepBeating(client, agent);
    await makeFramework(client, ns, ['MULTI_ROLE'], 1);
    await launch(ns, agent, ['f1', 'f2'], 'vol-f');
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
