import { expect } from 'chai';
import { builtinKinds, corralKinds, isNotFound } from '../../../core/client/index.ts';
import { AGENT_LEASE_NAMESPACE, leaseRenewedAt } from '../../../core/types/agent-lease.ts';
import type { Agent } from '../../../core/types/agent.ts';
import { CORRAL_API_VERSION } from '../../../core/types/group.ts';
import type { RunningHollowAgents } from '../../../agent/hollow/main.ts';
import { startHollowAgents } from '../../../agent/hollow/main.ts';
import { HOLLOW_LABEL, RUN_SECONDS_KEY } from '../../../agent/hollow/options.ts';
import { eventually } from '../../helpers/eventually.ts';
import type { Cluster, StateRecorder } from './fleet.ts';
import { createTask, logger, recordStates, startCluster, unique } from './fleet.ts';

const COUNT = 50;
const ready = (a: Agent): string | undefined =>
  a.status?.conditions?.find(c => c.type === 'Ready')?.status;

describe('hollow agents against the real API server', function () {
  this.timeout(60_000);
  let cluster: Cluster;
  let hollow: RunningHollowAgents;
  let recorder: StateRecorder;
  const prefix = unique('t');

  before(async () => {
    cluster = await startCluster();
    recorder = await recordStates(cluster);
    hollow = await startHollowAgents({
      kubeConfig: cluster.api.kubeConfig,
      count: COUNT,
      prefix,
      taskSeconds: 1,
      startSeconds: 0.3,
      heartbeatIntervalMs: 500,
      statusRefreshMs: 1000,
      logger,
    });
  });
  after(async () => {
    recorder.stop();
    await hollow.stop();
    await cluster.stop();
  });

  const agents = async (): Promise<Agent[]> =>
    (await cluster.client.for(corralKinds.agents).list({ labelSelector: `${HOLLOW_LABEL}=true` }))
      .items;

  it('registers 50 agents labelled hollow with the benchmark resources, renews their Leases and refreshes their status', async () => {
    const first = await agents();
    expect(first.map(a => a.metadata.name).sort()).to.deep.equal(
      Array.from({ length: COUNT }, (_, i) => `hollow-${prefix}-${i}`).sort(),
    );
    const a = first[0]!;
    expect(a.spec.hostname).to.equal(a.metadata.name);
    expect(a.spec.resources).to.deep.equal({
      cpus: '24',
      mem: '4096',
      disk: '4096',
      ports: '31000-32000',
    });
    expect(a.metadata.annotations ?? {}).to.not.have.property('corral.dev/agent-api');
    const beat = (x: Agent): number => Date.parse(x.status?.lastHeartbeatTime ?? '') || 0;
    const beatAt = new Map(first.map(x => [x.metadata.name, beat(x)]));
    const leases = cluster.client.for(builtinKinds.leases);
    const renewedAt = async (): Promise<Map<string, number>> =>
      new Map(
        (await leases.list({ namespace: AGENT_LEASE_NAMESPACE })).items
          .filter(l => l.metadata.name?.startsWith(`hollow-${prefix}-`))
          .map(l => [l.metadata.name ?? '', leaseRenewedAt(l.spec) ?? 0]),
      );
    const once = await eventually(async () => {
      const r = await renewedAt();
      expect(r.size).to.equal(COUNT);
      return r;
    });
    await eventually(async () => {
      for (const [name, at] of await renewedAt()) {
        expect(at, name).to.be.greaterThan(once.get(name) ?? 0);
      }
      for (const x of await agents()) {
        expect(ready(x), x.metadata.name).to.equal('True');
        expect(beat(x)).to.be.greaterThan(beatAt.get(x.metadata.name) ?? 0);
      }
    });
    expect(hollow.stats().failingHeartbeats).to.equal(0);
  });

  it('takes Tasks of two of its agents through STARTING, RUNNING and FINISHED, and leaves others alone', async () => {
    const mine = [
      { name: unique('a-'), agent: `hollow-${prefix}-3` },
      { name: unique('b-'), agent: `hollow-${prefix}-41` },
    ];
    const foreign = { name: unique('x-'), agent: 'some-real-agent' };
    for (const t of [...mine, foreign]) await createTask(cluster, t);
    for (const t of mine) {
      // created STAGING and holding the finalizer: the agent's first write is its STARTING
      await eventually(() => {
        expect(recorder.writes(t.name)).to.deep.equal([
          'TASK_STAGING+f',
          'TASK_STARTING+f',
          'TASK_RUNNING+f',
          'TASK_FINISHED+f',
        ]);
      });
      const done = await cluster.client
        .for(corralKinds.tasks)
        .get({ namespace: cluster.namespace, name: t.name });
      expect(done.status?.source).to.equal('SOURCE_EXECUTOR');
      expect(done.status?.containerStatus?.containerId).to.match(/^hollow-/);
      expect(done.status?.containerStatus?.exitCode).to.equal(0);
      expect(done.metadata.finalizers).to.deep.equal(['corral.dev/agent']);
    }
    const other = await cluster.client
      .for(corralKinds.tasks)
      .get({ namespace: cluster.namespace, name: foreign.name });
    expect(other.status?.state).to.equal('TASK_STAGING');
    expect(recorder.writes(foreign.name)).to.deep.equal(['TASK_STAGING+f']);
  });

  it('takes a Task made by hand (no finalizer): holds it first, then the same states', async () => {
    const t = { name: unique('h-'), agent: `hollow-${prefix}-5`, byHand: true };
    await createTask(cluster, t);
    await eventually(() => {
      expect(recorder.writes(t.name)).to.deep.equal([
        'TASK_STAGING',
        'TASK_STAGING+f',
        'TASK_STARTING+f',
        'TASK_RUNNING+f',
        'TASK_FINISHED+f',
      ]);
    });
  });

  it('ends a launched Task deleted while still STAGING: TASK_KILLED during launch, then the record goes', async () => {
    // the Task is created and deleted before its (second) hollow process starts, so its agent
    // first sees it deleting, STAGING, holding the finalizer, never started
    const late = unique('l');
    const name = unique('s-');
    const tasks = cluster.client.for(corralKinds.tasks);
    await createTask(cluster, { name, agent: `hollow-${late}-0` });
    await tasks.delete({ namespace: cluster.namespace, name });
    const held = await tasks.get({ namespace: cluster.namespace, name });
    expect(held.metadata.deletionTimestamp).to.be.a('string');
    expect(held.status?.state).to.equal('TASK_STAGING');
    const second = await startHollowAgents({
      kubeConfig: cluster.api.kubeConfig,
      count: 1,
      prefix: late,
      heartbeatIntervalMs: 500,
      logger,
    });
    try {
      await eventually(async () => {
        const gone = await tasks.get({ namespace: cluster.namespace, name }).then(
          () => false,
          (e: unknown) => isNotFound(e),
        );
        expect(gone).to.equal(true);
      });
    } finally {
      await second.stop();
    }
    expect(recorder.states(name)).to.deep.equal(['TASK_STAGING', 'TASK_KILLED']);
    expect(recorder.last(name)?.status).to.deep.include({
      state: 'TASK_KILLED',
      reason: 'REASON_TASK_KILLED_DURING_LAUNCH',
    });
  });

  it('kills a deleted running Task: KILLING, then KILLED, then the record is gone', async () => {
    const name = unique('k-');
    await createTask(cluster, {
      name,
      agent: `hollow-${prefix}-7`,
      annotations: { [RUN_SECONDS_KEY]: '0' },
    });
    const tasks = cluster.client.for(corralKinds.tasks);
    await eventually(async () => {
      const t = await tasks.get({ namespace: cluster.namespace, name });
      expect(t.status?.state).to.equal('TASK_RUNNING');
    });
    await tasks.delete({ namespace: cluster.namespace, name });
    await eventually(async () => {
      const gone = await tasks.get({ namespace: cluster.namespace, name }).then(
        () => false,
        (e: unknown) => isNotFound(e),
      );
      expect(gone).to.equal(true);
    });
    expect(recorder.states(name).slice(-3)).to.deep.equal([
      'TASK_RUNNING',
      'TASK_KILLING',
      'TASK_KILLED',
    ]);
  });

  it('confirms an Operation bound to one of its agents, as a real agent does', async () => {
    const ops = cluster.client.for(corralKinds.operations);
    const name = unique('op-');
    // created, then PENDING through /status, as the offer controller does
    const made = await ops.create({
      apiVersion: CORRAL_API_VERSION,
      kind: 'Operation',
      metadata: { name, namespace: cluster.namespace },
      spec: {
        type: 'RESERVE',
        agent: `hollow-${prefix}-9`,
        reserve: {
          resources: [
            { name: 'cpus', scalar: '1', reservations: [{ type: 'DYNAMIC', role: 'role' }] },
          ],
        },
      },
    });
    await ops.updateStatus({
      ...made,
      status: { state: 'OPERATION_PENDING', lastTransitionTime: new Date().toISOString() },
    });
    await eventually(async () => {
      const op = await ops.get({ namespace: cluster.namespace, name });
      expect(op.status?.state).to.equal('OPERATION_FINISHED');
    });
  });

  it('stops cleanly, marking every agent not ready', async () => {
    await hollow.stop();
    await hollow.done;
    for (const a of await agents()) {
      expect(ready(a), a.metadata.name).to.equal('False');
      expect(a.status?.conditions?.find(c => c.type === 'Ready')?.reason).to.equal('AgentStopped');
    }
  });
});
