import { expect } from 'chai';
import type { Agent, Task, TaskState } from '../../../../core/types/index.ts';
import { AGENT_FINALIZER, CORRAL_API_VERSION } from '../../../../core/types/index.ts';
import { FrameworkMemory } from '../../../../controllers/tasks/framework-memory.ts';
import { TaskReconciler } from '../../../../controllers/tasks/task-reconciler.ts';
import type { World } from '../offers/world.ts';
import {
  AGENT,
  FW,
  NS,
  agentObject,
  drain,
  frameworkObject,
  newWorld,
  silent,
} from '../offers/world.ts';

// The Tasks of an Agent deleted outright (not marked gone), PodGC's case. The fake cluster's
// caches are always current, as a synced informer's would be once its events arrived.

const signal = new AbortController().signal;
const GRACE_MS = 30_000;

interface Setup {
  readonly w: World;
  readonly r: TaskReconciler;
}

interface SetupOptions {
  readonly aware?: boolean;
  readonly graceMs?: number;
  readonly synced?: () => boolean;
  readonly withAgent?: boolean;
}

function setup(o: SetupOptions = {}): Setup {
  const w = newWorld();
  if (o.withAgent ?? true) w.cluster.agents.put(agentObject({ cpus: '4' }));
  w.cluster.frameworks.put(frameworkObject(o.aware === false ? [] : ['PARTITION_AWARE']));
  const r = new TaskReconciler({
    tasks: w.cluster.tasks.cache,
    agents: w.cluster.agents.cache,
    frameworks: w.cluster.frameworks.cache,
    memory: new FrameworkMemory({ on: () => () => undefined }),
    api: w.cluster.tasks,
    clock: w.clock,
    logger: silent,
    ...(o.graceMs === undefined ? {} : { missingAgentGraceMs: o.graceMs }),
    ...(o.synced === undefined ? {} : { agentsSynced: o.synced }),
  });
  return { w, r };
}

// launched creates the Task as the offer controller does: STAGING, holding the finalizer.
async function launched(w: World, name = 't1'): Promise<Task> {
  return w.cluster.tasks.create({
    apiVersion: CORRAL_API_VERSION,
    kind: 'Task',
    metadata: { name, namespace: NS, finalizers: [AGENT_FINALIZER] },
    spec: { agent: AGENT, framework: FW, role: 'role', resources: { cpus: '1' } },
  });
}

// reported writes the state the agent would report.
async function reported(w: World, state: TaskState, name = 't1'): Promise<void> {
  const t = structuredClone(w.cluster.tasks.peek({ namespace: NS, name })) as Task;
  t.status = {
    state,
    source: 'SOURCE_EXECUTOR',
    lastTransitionTime: new Date(w.clock.now()).toISOString(),
    containerStatus: { containerId: `task-${name}` },
  };
  await w.cluster.tasks.updateStatus(t);
}

const deleteAgent = (w: World) => w.cluster.agents.delete({ name: AGENT });
const registerAgent = (w: World) => w.cluster.agents.put(agentObject({ cpus: '4' }));
const t1 = (w: World) => w.cluster.tasks.peek({ namespace: NS, name: 't1' });
const reconcileT1 = (s: Setup) => s.r.reconcile({ namespace: NS, name: 't1' }, signal);
const run = (s: Setup) =>
  drain(s.w, [
    {
      reconciler: s.r,
      keys: () =>
        s.w.cluster.tasks.list().map(t => ({ namespace: NS, name: t.metadata.name ?? '' })),
    },
  ]);

describe('task controller: the Tasks of a deleted Agent (PodGC; mesos-features §5.5)', () => {
  for (const { aware, state } of [
    { aware: true, state: 'TASK_GONE_BY_OPERATOR' },
    { aware: false, state: 'TASK_LOST' },
  ] as const) {
    it(`a running task whose Agent was deleted becomes ${state} after the grace, and its agent finalizer is released`, async () => {
      const s = setup({ aware });
      await launched(s.w);
      await reported(s.w, 'TASK_RUNNING');
      await s.w.clock.advance(60_000);
      await deleteAgent(s.w);
      expect((await reconcileT1(s)).requeueAfterMs, 'the absence is new').to.equal(GRACE_MS);
      expect(t1(s.w)?.status?.state).to.equal('TASK_RUNNING');
      await s.w.clock.advance(GRACE_MS);
      await run(s);
      expect(t1(s.w)?.status).to.deep.include({
        state,
        reason: 'REASON_AGENT_REMOVED_BY_OPERATOR',
        source: 'SOURCE_MASTER',
        message: `agent ${AGENT} does not exist: its Agent object was deleted`,
      });
      expect(t1(s.w)?.status?.containerStatus?.containerId).to.equal('task-t1');
      expect(t1(s.w)?.metadata.finalizers).to.deep.equal([]);
      // and deleting it now does not hang
      await s.w.cluster.tasks.delete({ namespace: NS, name: 't1' });
      expect(t1(s.w)).to.equal(undefined);
    });
  }

  it("an unreachable agent deleted: its tasks' provisional TASK_LOST becomes final (REASON_AGENT_REMOVED_BY_OPERATOR) and they are released", async () => {
    const s = setup({ aware: false });
    await launched(s.w);
    await reported(s.w, 'TASK_RUNNING');
    await s.w.clock.advance(1000);
    const a = structuredClone(s.w.cluster.agents.peek({ name: AGENT })) as Agent;
    const since = new Date(s.w.clock.now()).toISOString();
    a.status = {
      conditions: [
        {
          type: 'Unreachable',
          status: 'True',
          reason: 'HeartbeatsMissed',
          lastTransitionTime: since,
        },
      ],
    };
    s.w.cluster.agents.put(a);
    await run(s);
    expect(t1(s.w)?.status).to.deep.include({ state: 'TASK_LOST', reason: 'REASON_AGENT_REMOVED' });
    expect(t1(s.w)?.metadata.finalizers, 'it may still run').to.deep.equal([AGENT_FINALIZER]);
    await deleteAgent(s.w);
    await run(s);
    await s.w.clock.advance(GRACE_MS);
    await run(s);
    expect(t1(s.w)?.status).to.deep.include({
      state: 'TASK_LOST',
      reason: 'REASON_AGENT_REMOVED_BY_OPERATOR',
    });
    expect(t1(s.w)?.metadata.finalizers).to.deep.equal([]);
  });

  it('a launched Task never started (STAGING), deleted, on a deleted Agent: TASK_GONE_BY_OPERATOR, released, and it goes', async () => {
    const s = setup();
    await launched(s.w);
    await s.w.cluster.tasks.delete({ namespace: NS, name: 't1' });
    expect(t1(s.w)?.metadata.deletionTimestamp, 'held by the finalizer').to.be.a('string');
    await deleteAgent(s.w);
    await reconcileT1(s);
    await s.w.clock.advance(GRACE_MS);
    const seen: (string | undefined)[] = [];
    for (let pass = 0; pass < 4 && t1(s.w) !== undefined; pass++) {
      seen.push(t1(s.w)?.status?.state);
      await reconcileT1(s);
    }
    expect(seen).to.deep.equal(['TASK_STAGING', 'TASK_GONE_BY_OPERATOR']);
    expect(t1(s.w)).to.equal(undefined);
  });

  it('a running task deleted while its Agent is deleted too is released and goes', async () => {
    const s = setup({ aware: false });
    await launched(s.w);
    await reported(s.w, 'TASK_RUNNING');
    await s.w.cluster.tasks.delete({ namespace: NS, name: 't1' });
    await deleteAgent(s.w);
    await run(s);
    expect(t1(s.w)?.metadata.finalizers, 'within the grace').to.deep.equal([AGENT_FINALIZER]);
    await s.w.clock.advance(GRACE_MS);
    await run(s);
    expect(t1(s.w)).to.equal(undefined);
  });

  it('a terminal task on a deleted Agent only loses the finalizer: its state and time stay', async () => {
    const s = setup();
    await launched(s.w);
    await reported(s.w, 'TASK_FINISHED');
    const before = structuredClone(t1(s.w)?.status);
    await deleteAgent(s.w);
    await reconcileT1(s);
    await s.w.clock.advance(GRACE_MS);
    await run(s);
    expect(t1(s.w)?.status).to.deep.equal(before);
    expect(t1(s.w)?.metadata.finalizers).to.deep.equal([]);
  });

  it('a task created before its agent registers is left alone when the agent registers within the grace', async () => {
    const s = setup({ withAgent: false });
    await launched(s.w);
    expect((await reconcileT1(s)).requeueAfterMs).to.equal(GRACE_MS);
    await s.w.clock.advance(10_000);
    registerAgent(s.w);
    await run(s);
    await s.w.clock.advance(GRACE_MS);
    await run(s);
    expect(t1(s.w)?.status?.state).to.equal('TASK_STAGING');
    expect(t1(s.w)?.metadata.finalizers).to.deep.equal([AGENT_FINALIZER]);
  });

  it('a task younger than the grace waits for the rest of it even if its agent has long been missing', async () => {
    const s = setup();
    await launched(s.w, 'old');
    await deleteAgent(s.w);
    await s.r.reconcile({ namespace: NS, name: 'old' }, signal); // the absence is noticed
    await s.w.clock.advance(5 * 60_000);
    await launched(s.w); // created by hand for the missing agent
    await s.w.clock.advance(10_000);
    expect((await reconcileT1(s)).requeueAfterMs).to.equal(GRACE_MS - 10_000);
    expect(t1(s.w)?.status?.state).to.equal('TASK_STAGING');
    await s.w.clock.advance(GRACE_MS - 10_000);
    await run(s);
    expect(t1(s.w)?.status?.state).to.equal('TASK_GONE_BY_OPERATOR');
  });

  it('an Agent deleted and re-created within the grace (the agent registering again) keeps its tasks', async () => {
    const s = setup();
    await launched(s.w);
    await reported(s.w, 'TASK_RUNNING');
    await s.w.clock.advance(60_000);
    await deleteAgent(s.w);
    await run(s);
    await s.w.clock.advance(GRACE_MS - 1);
    registerAgent(s.w);
    await run(s);
    await s.w.clock.advance(GRACE_MS);
    await run(s);
    expect(t1(s.w)?.status?.state).to.equal('TASK_RUNNING');
    expect(t1(s.w)?.metadata.finalizers).to.deep.equal([AGENT_FINALIZER]);
    // deleted again later: the grace starts over from the new absence
    await deleteAgent(s.w);
    expect((await reconcileT1(s)).requeueAfterMs).to.equal(GRACE_MS);
  });

  it('a task settled for a deleted Agent keeps its terminal state when an Agent of that name comes back', async () => {
    const s = setup();
    await launched(s.w);
    await reported(s.w, 'TASK_RUNNING');
    await deleteAgent(s.w);
    await run(s);
    await s.w.clock.advance(GRACE_MS);
    await run(s);
    const settled = structuredClone(t1(s.w));
    expect(settled?.status?.state).to.equal('TASK_GONE_BY_OPERATOR');
    registerAgent(s.w);
    await s.w.clock.advance(GRACE_MS);
    await run(s);
    expect(t1(s.w)).to.deep.equal(settled);
  });

  it('does nothing while the Agents cache has not synced: a missing Agent proves nothing yet', async () => {
    let synced = false;
    const s = setup({ synced: () => synced });
    await launched(s.w);
    await deleteAgent(s.w);
    await s.w.clock.advance(10 * GRACE_MS);
    expect(await reconcileT1(s)).to.deep.equal({});
    expect(t1(s.w)?.status?.state).to.equal('TASK_STAGING');
    synced = true;
    expect((await reconcileT1(s)).requeueAfterMs).to.equal(GRACE_MS);
  });

  it('a terminal task without the finalizer on a deleted Agent is not waited for', async () => {
    const s = setup();
    await launched(s.w);
    await reported(s.w, 'TASK_FAILED');
    const t = structuredClone(t1(s.w)) as Task;
    t.metadata.finalizers = [];
    await s.w.cluster.tasks.update(t);
    await deleteAgent(s.w);
    const writes = s.w.cluster.writes;
    expect(await reconcileT1(s)).to.deep.equal({});
    expect(s.w.cluster.writes).to.equal(writes);
  });

  it('honours a configured grace (0: at once)', async () => {
    const s = setup({ graceMs: 0 });
    await launched(s.w);
    await deleteAgent(s.w);
    await run(s);
    expect(t1(s.w)?.status?.state).to.equal('TASK_GONE_BY_OPERATOR');
    expect(t1(s.w)?.metadata.finalizers).to.deep.equal([]);
    expect(() => setup({ graceMs: -1 })).to.throw(RangeError);
  });
});
