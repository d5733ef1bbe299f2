import { expect } from 'chai';
import type { InformerHandlers } from '../../../../core/client/index.ts';
import { REJECTED_ANNOTATION, TASK_ID_ANNOTATION } from '../../../../core/framework/index.ts';
import type { Agent, Framework, Task, TaskStatus } from '../../../../core/types/index.ts';
import { AGENT_FINALIZER, CORRAL_API_VERSION } from '../../../../core/types/index.ts';
import {
  ORPHANED_AT_ANNOTATION,
  ORPHAN_TIMEOUT_ANNOTATION,
} from '../../../../controllers/tasks/framework-loss.ts';
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

const signal = new AbortController().signal;

interface Setup {
  readonly w: World;
  readonly r: TaskReconciler;
  /** forget simulates the Framework's delete event reaching the controller's memory. */
  readonly frameworkDeleted: (f: Framework) => Promise<void>;
}

function setup(aware: boolean, failoverTimeoutSeconds = 0, standInRetentionMs?: number): Setup {
  const w = newWorld();
  const caps = aware ? (['PARTITION_AWARE'] as const) : ([] as const);
  w.cluster.agents.put(agentObject({ cpus: '4' }));
  w.cluster.frameworks.put(frameworkObject(caps, { failoverTimeoutSeconds }));
  const handlers: InformerHandlers<Framework>[] = [];
  const memory = new FrameworkMemory({
    on: h => {
      handlers.push(h);
      for (const f of w.cluster.frameworks.list()) h.add?.(f);
      return () => undefined;
    },
  });
  const r = new TaskReconciler({
    tasks: w.cluster.tasks.cache,
    agents: w.cluster.agents.cache,
    frameworks: w.cluster.frameworks.cache,
    memory,
    api: w.cluster.tasks,
    clock: w.clock,
    logger: silent,
    ...(standInRetentionMs === undefined ? {} : { standInRetentionMs }),
  });
  const frameworkDeleted = async (f: Framework) => {
    await w.cluster.frameworks.delete({ namespace: NS, name: FW });
    for (const h of handlers) h.delete?.(f);
  };
  return { w, r, frameworkDeleted };
}

function runningTask(w: World, name = 't1'): Task {
  const at = new Date(w.clock.now()).toISOString();
  const status: TaskStatus = {
    state: 'TASK_RUNNING',
    source: 'SOURCE_EXECUTOR',
    lastTransitionTime: at,
    containerStatus: { containerId: `task-${name}` },
  };
  return w.cluster.tasks.put({
    apiVersion: CORRAL_API_VERSION,
    kind: 'Task',
    metadata: { name, namespace: NS, finalizers: [AGENT_FINALIZER] },
    spec: { agent: AGENT, framework: FW, role: 'role', resources: { cpus: '1' } },
    status,
  });
}

function markAgent(w: World, change: (a: Agent) => void): void {
  const a = structuredClone(w.cluster.agents.peek({ name: AGENT })) as Agent;
  change(a);
  w.cluster.agents.put(a);
}

function unreachable(w: World): string {
  const since = new Date(w.clock.now()).toISOString();
  markAgent(w, a => {
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
  });
  return since;
}

const run = (s: Setup) =>
  drain(s.w, [
    {
      reconciler: s.r,
      keys: () =>
        s.w.cluster.tasks.list().map(t => ({ namespace: NS, name: t.metadata.name ?? '' })),
    },
  ]);
const t1 = (w: World) => w.cluster.tasks.peek({ namespace: NS, name: 't1' });

describe('task controller (mesos-features §5.4, §5.5)', () => {
  it('PartitionTest.PartitionedSlave: a partition-aware framework sees TASK_UNREACHABLE with unreachable_time', async () => {
    const s = setup(true);
    runningTask(s.w);
    await s.w.clock.advance(1000);
    const since = unreachable(s.w);
    await run(s);
    expect(t1(s.w)?.status).to.deep.include({
      state: 'TASK_UNREACHABLE',
      reason: 'REASON_AGENT_REMOVED',
      source: 'SOURCE_MASTER',
      unreachableTime: since,
    });
    expect(t1(s.w)?.status?.containerStatus?.containerId).to.equal('task-t1');
    expect(t1(s.w)?.metadata.finalizers).to.deep.equal([AGENT_FINALIZER]);
  });

  it('PartitionTest.PartitionedSlave (not partition-aware): TASK_LOST, which the agent may still overwrite', async () => {
    const s = setup(false);
    runningTask(s.w);
    await s.w.clock.advance(1000);
    unreachable(s.w);
    await run(s);
    expect(t1(s.w)?.status).to.deep.include({
      state: 'TASK_LOST',
      reason: 'REASON_AGENT_REMOVED',
      source: 'SOURCE_MASTER',
    });
  });

  it('MESOS-7215: when the agent comes back its tasks are not killed, and the state it reports again stands', async () => {
    const s = setup(true);
    runningTask(s.w);
    await s.w.clock.advance(1000);
    unreachable(s.w);
    await run(s);
    markAgent(s.w, a => {
      a.status = { conditions: [] };
    });
    await s.w.clock.advance(1000);
    const again = structuredClone(t1(s.w)) as Task;
    again.status = {
      state: 'TASK_RUNNING',
      source: 'SOURCE_EXECUTOR',
      lastTransitionTime: new Date(s.w.clock.now()).toISOString(),
    };
    s.w.cluster.tasks.put(again);
    await run(s);
    expect(t1(s.w)?.status?.state).to.equal('TASK_RUNNING');
    expect(t1(s.w)?.metadata.deletionTimestamp).to.equal(undefined);
  });

  it('does not fight the agent: a state reported after the agent was declared lost is left alone', async () => {
    const s = setup(true);
    runningTask(s.w);
    await s.w.clock.advance(1000);
    unreachable(s.w);
    await s.w.clock.advance(1000);
    const later = structuredClone(t1(s.w)) as Task;
    later.status = {
      ...later.status,
      state: 'TASK_FINISHED',
      lastTransitionTime: new Date(s.w.clock.now()).toISOString(),
    };
    s.w.cluster.tasks.put(later);
    runningTask(s.w, 't2');
    await run(s);
    expect(t1(s.w)?.status?.state).to.equal('TASK_FINISHED');
    expect(s.w.cluster.tasks.peek({ namespace: NS, name: 't2' })?.status?.state).to.equal(
      'TASK_RUNNING',
    );
  });

  it('MasterAPITest.TaskUpdatesUponAgentGone: TASK_GONE_BY_OPERATOR, then the agent finalizer is released', async () => {
    const s = setup(true);
    runningTask(s.w);
    markAgent(s.w, a => {
      a.spec.gone = true;
    });
    await run(s);
    expect(t1(s.w)?.status).to.deep.include({
      state: 'TASK_GONE_BY_OPERATOR',
      reason: 'REASON_AGENT_REMOVED_BY_OPERATOR',
    });
    expect(t1(s.w)?.metadata.finalizers).to.deep.equal([]);
    // A deleted task of a gone agent goes at once: nobody else would release it.
    await s.w.cluster.tasks.delete({ namespace: NS, name: 't1' });
    expect(t1(s.w)).to.equal(undefined);
  });

  it('a launched Task never started (STAGING, created holding the finalizer) on an agent marked gone: TASK_GONE_BY_OPERATOR, released, and deleted it goes', async () => {
    const s = setup(true);
    // as the offer controller creates it: the API's create rule makes it STAGING
    await s.w.cluster.tasks.create({
      apiVersion: CORRAL_API_VERSION,
      kind: 'Task',
      metadata: { name: 't1', namespace: NS, finalizers: [AGENT_FINALIZER] },
      spec: { agent: AGENT, framework: FW, role: 'role', resources: { cpus: '1' } },
    });
    expect(t1(s.w)?.status?.state).to.equal('TASK_STAGING');
    await s.w.cluster.tasks.delete({ namespace: NS, name: 't1' });
    markAgent(s.w, a => {
      a.spec.gone = true;
    });
    const seen: (string | undefined)[] = [];
    for (let pass = 0; pass < 4 && t1(s.w) !== undefined; pass++) {
      seen.push(t1(s.w)?.status?.state);
      await s.r.reconcile({ namespace: NS, name: 't1' }, signal);
    }
    expect(seen).to.deep.equal(['TASK_STAGING', 'TASK_GONE_BY_OPERATOR']);
    expect(t1(s.w)).to.equal(undefined);
  });

  it('MasterAPITest.UnreachableAgentMarkedGone: a deleting task of an unreachable agent marked gone is released', async () => {
    const s = setup(false);
    runningTask(s.w);
    await s.w.clock.advance(1000);
    unreachable(s.w);
    await run(s);
    expect(t1(s.w)?.status?.state).to.equal('TASK_LOST');
    await s.w.cluster.tasks.delete({ namespace: NS, name: 't1' });
    expect(t1(s.w)?.metadata.deletionTimestamp).to.be.a('string');
    markAgent(s.w, a => {
      a.spec.gone = true;
    });
    await run(s);
    expect(t1(s.w)).to.equal(undefined);
  });

  it('a terminal task keeps its state when its agent is lost', async () => {
    const s = setup(true);
    const t = runningTask(s.w);
    t.status = { ...t.status, state: 'TASK_FINISHED' };
    s.w.cluster.tasks.put(t);
    await s.w.clock.advance(1000);
    unreachable(s.w);
    await run(s);
    expect(t1(s.w)?.status?.state).to.equal('TASK_FINISHED');
  });

  it('a framework deleted for longer than its failover timeout has its tasks killed', async () => {
    const s = setup(true, 60);
    runningTask(s.w);
    const fw = s.w.cluster.frameworks.peek({ namespace: NS, name: FW }) as Framework;
    await s.frameworkDeleted(fw);
    await run(s);
    expect(t1(s.w)?.metadata.annotations).to.include({ [ORPHAN_TIMEOUT_ANNOTATION]: '60' });
    const wait = await s.r.reconcile({ namespace: NS, name: 't1' }, signal);
    expect(wait.requeueAfterMs).to.equal(60_000);
    await s.w.clock.advance(60_000);
    await run(s);
    expect(t1(s.w)?.metadata.deletionTimestamp, 'deleted; the agent kills it').to.be.a('string');
  });

  it('failover: a framework re-created within its failover timeout keeps its tasks', async () => {
    const s = setup(true, 60);
    runningTask(s.w);
    const fw = s.w.cluster.frameworks.peek({ namespace: NS, name: FW }) as Framework;
    await s.frameworkDeleted(fw);
    await run(s);
    expect(t1(s.w)?.metadata.annotations).to.have.property(ORPHANED_AT_ANNOTATION);
    await s.w.clock.advance(30_000);
    s.w.cluster.frameworks.put(
      frameworkObject(['PARTITION_AWARE'], { failoverTimeoutSeconds: 60 }),
    );
    await run(s);
    expect(t1(s.w)?.metadata.annotations ?? {}).to.not.have.property(ORPHANED_AT_ANNOTATION);
    await s.w.clock.advance(60_000);
    await run(s);
    expect(t1(s.w)?.metadata.deletionTimestamp).to.equal(undefined);
  });

  it('a framework deleted before this controller saw it leaves its tasks as orphans (its timeout is unknown)', async () => {
    const s = setup(true, 60);
    runningTask(s.w);
    await s.w.cluster.frameworks.delete({ namespace: NS, name: FW });
    const r = new TaskReconciler({
      tasks: s.w.cluster.tasks.cache,
      agents: s.w.cluster.agents.cache,
      frameworks: s.w.cluster.frameworks.cache,
      memory: new FrameworkMemory({ on: () => () => undefined }),
      api: s.w.cluster.tasks,
      clock: s.w.clock,
      logger: silent,
    });
    await r.reconcile({ namespace: NS, name: 't1' }, signal);
    expect(t1(s.w)?.metadata.annotations ?? {}).to.not.have.property(ORPHANED_AT_ANNOTATION);
    expect(t1(s.w)?.metadata.deletionTimestamp).to.equal(undefined);
  });

  it('a framework disconnected (Active=False) for longer than its failover timeout has its tasks killed', async () => {
    const s = setup(true, 10);
    runningTask(s.w);
    const fw = structuredClone(
      s.w.cluster.frameworks.peek({ namespace: NS, name: FW }),
    ) as Framework;
    fw.status = {
      conditions: [
        {
          type: 'Active',
          status: 'False',
          reason: 'Disconnected',
          lastTransitionTime: new Date(s.w.clock.now()).toISOString(),
        },
      ],
    };
    s.w.cluster.frameworks.put(fw);
    const wait = await s.r.reconcile({ namespace: NS, name: 't1' }, signal);
    expect(wait.requeueAfterMs).to.equal(10_000);
    await s.w.clock.advance(10_000);
    await run(s);
    expect(t1(s.w)?.metadata.deletionTimestamp).to.be.a('string');
  });

  it('collects the stand-in of a refused launch once the retention after its TASK_ERROR has passed, and no other rejected Task', async () => {
    const s = setup(true, 0, 60_000);
    const at = new Date(s.w.clock.now()).toISOString();
    const rejected = (name: string, annotations: Record<string, string>, state?: 'TASK_ERROR') =>
      s.w.cluster.tasks.put({
        apiVersion: CORRAL_API_VERSION,
        kind: 'Task',
        metadata: {
          name,
          namespace: NS,
          annotations: { [REJECTED_ANNOTATION]: 'true', ...annotations },
        },
        spec: { agent: AGENT, framework: FW, role: 'role', resources: { cpus: '1' } },
        ...(state === undefined
          ? {}
          : { status: { state, source: 'SOURCE_MASTER', lastTransitionTime: at } }),
      });
    rejected('offer-1-rejected0-db-0123456789', { [TASK_ID_ANNOTATION]: 'db' }, 'TASK_ERROR');
    rejected('offer-1-rejected0-web-0123456789', { [TASK_ID_ANNOTATION]: 'web' }); // no status yet
    rejected('named', {}, 'TASK_ERROR'); // holds its own name: the framework's to delete
    const { r } = s;
    const key = { namespace: NS, name: 'offer-1-rejected0-db-0123456789' };
    expect((await r.reconcile(key, signal)).requeueAfterMs).to.equal(60_000);
    await s.w.clock.advance(60_000);
    for (const t of s.w.cluster.tasks.list())
      await r.reconcile({ namespace: NS, name: t.metadata.name ?? '' }, signal);
    expect(
      s.w.cluster.tasks
        .list()
        .map(t => t.metadata.name)
        .sort(),
    ).to.deep.equal(['named', 'offer-1-rejected0-web-0123456789']);
  });
});
