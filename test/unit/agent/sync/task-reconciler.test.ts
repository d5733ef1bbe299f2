// The real agent's Task sync over a Task that was never started, with a fake container runtime
// (no runc in unit tests: this one has no containers, records what it is asked, and fails on
// anything a never-started Task must not need) and the in-memory API of the controller tests,
// which applies the API server's create rule (TASK_STAGING) and its finalizer rules.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Task } from '../../../../core/types/index.ts';
import { AGENT_FINALIZER, CORRAL_API_VERSION } from '../../../../core/types/index.ts';
import { DiskMonitor } from '../../../../agent/isolation/disk-monitor.ts';
import { PortsMonitor } from '../../../../agent/isolation/ports-monitor.ts';
import { ContainerNotFoundError } from '../../../../agent/runtime/index.ts';
import type { ContainerRuntime } from '../../../../agent/runtime/types.ts';
import { TaskStatusWriter } from '../../../../agent/status/writer.ts';
import { ExitWatcher } from '../../../../agent/sync/exit-watcher.ts';
import { KillCauses } from '../../../../agent/sync/kill-causes.ts';
import type { LaunchDeps } from '../../../../agent/sync/launch.ts';
import { LaunchSlots } from '../../../../agent/sync/launch-slots.ts';
import { LocalTasks } from '../../../../agent/sync/local-tasks.ts';
import { Supervisor } from '../../../../agent/sync/supervisor.ts';
import { TaskReconciler } from '../../../../agent/sync/task-reconciler.ts';
import { FakeClock } from '../../../helpers/fake-clock.ts';
import { FakeCluster } from '../../controllers/offers/fake-cluster.ts';

const logger = pino({ level: 'silent' });
const NS = 'fw-ns';
const KEY = `${NS}/t1`;
const signal = new AbortController().signal;

/** unwired is a dependency the test does not provide: any use of it throws, naming it. */
function unwired<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get: (_t, p) => {
      throw new Error(`${what}.${String(p)} is not wired in this test`);
    },
  });
}

/** fakeRuntime has no containers; it records destroys and refuses anything that would make one. */
function fakeRuntime(): { runtime: ContainerRuntime; calls: string[] } {
  const calls: string[] = [];
  const refuse = (verb: string) => () => Promise.reject(new Error(`runtime.${verb} not expected`));
  const runtime: ContainerRuntime = {
    create: refuse('create'),
    start: refuse('start'),
    state: (id: string) => {
      calls.push(`state ${id}`);
      return Promise.reject(new ContainerNotFoundError(id));
    },
    wait: refuse('wait'),
    list: () => Promise.resolve([]),
    recover: () => Promise.resolve([]),
    kill: refuse('kill'),
    destroy: (id: string) => {
      calls.push(`destroy ${id}`);
      return Promise.resolve();
    },
    readLogs: refuse('readLogs'),
    exec: refuse('exec'),
    attach: refuse('attach'),
    stats: refuse('stats'),
  };
  return { runtime, calls };
}

interface Rig {
  readonly cluster: FakeCluster;
  readonly reconciler: TaskReconciler;
  readonly runtime: string[];
  /** metadataWrites counts the agent's updates of the Task (finalizer changes). */
  readonly metadataWrites: () => number;
  readonly dir: string;
}

async function rig(): Promise<Rig> {
  const dir = await mkdtemp(join(tmpdir(), 'corral-sync-'));
  const clock = new FakeClock();
  const cluster = new FakeCluster();
  const tasks = cluster.tasks;
  let updates = 0;
  const api = {
    get: tasks.get,
    update: (t: Task) => (updates++, tasks.update(t)),
    updateStatus: tasks.updateStatus,
  };
  const { runtime, calls } = fakeRuntime();
  const writer = new TaskStatusWriter({ api, clock, logger, fieldManager: 'agent' });
  const monitor = { clock, onLimitation: () => undefined };
  const supervisor = new Supervisor({
    workDir: dir,
    clock,
    logger,
    runtime,
    exits: new ExitWatcher({ workDir: dir, clock, onExit: () => undefined }),
    ports: new PortsMonitor(monitor),
    disk: new DiskMonitor(monitor),
    kill: () => undefined,
    changed: () => undefined,
  });
  const reconciler = new TaskReconciler({
    cache: tasks.cache,
    api,
    writer,
    runtime,
    images: { releaseLease: () => Promise.resolve() },
    launch: unwired<LaunchDeps>('launch'),
    locals: new LocalTasks(),
    causes: await KillCauses.open(join(dir, 'kills')),
    supervisor,
    launchSlots: new LaunchSlots(1),
    logger,
    fieldManager: 'agent',
    clock,
    later: () => undefined,
    defaultGraceMs: 0,
    standingDown: () => false,
  });
  return { cluster, reconciler, runtime: calls, metadataWrites: () => updates, dir };
}

// created as the offer controller creates a launched Task: holding the agent's finalizer (the
// fake API, as the real one, makes it TASK_STAGING)
function create(r: Rig, finalizers: string[]): Promise<Task> {
  return r.cluster.tasks.create({
    apiVersion: CORRAL_API_VERSION,
    kind: 'Task',
    metadata: { name: 't1', namespace: NS, finalizers },
    spec: { agent: 'a1', framework: 'fw', role: 'r', resources: { cpus: '1' } },
  });
}

const current = (r: Rig): Task | undefined => r.cluster.tasks.peek({ namespace: NS, name: 't1' });

describe('agent Task sync of a never-started Task (fake runtime)', () => {
  let r: Rig;
  beforeEach(async () => {
    r = await rig();
  });
  afterEach(() => rm(r.dir, { recursive: true, force: true }));

  it('ends a launched Task deleted while still STAGING: TASK_KILLED during launch, then lets it go', async () => {
    const made = await create(r, [AGENT_FINALIZER]);
    expect(made.status?.state).to.equal('TASK_STAGING');
    await r.cluster.tasks.delete({ namespace: NS, name: 't1' });
    expect(current(r)?.metadata.deletionTimestamp).to.be.a('string');

    await r.reconciler.reconcile(KEY, signal);
    expect(current(r)?.status).to.deep.include({
      state: 'TASK_KILLED',
      reason: 'REASON_TASK_KILLED_DURING_LAUNCH',
    });
    expect(current(r)?.metadata.finalizers).to.deep.equal([AGENT_FINALIZER]);

    await r.reconciler.reconcile(KEY, signal);
    expect(current(r)).to.equal(undefined);
    // nothing was ever created; the deleted Task's leftovers (none) are destroyed all the same
    expect(r.runtime).to.deep.equal(['state task-uid-1', 'destroy task-uid-1']);
    expect(r.metadataWrites()).to.equal(1); // the finalizer's removal only
  });

  it('leaves a deleted Task made by hand and never taken (no finalizer) to go at once', async () => {
    await create(r, []);
    await r.cluster.tasks.delete({ namespace: NS, name: 't1' });
    expect(current(r)).to.equal(undefined);
    await r.reconciler.reconcile(KEY, signal);
    expect(r.runtime).to.deep.equal([]);
    expect(r.metadataWrites()).to.equal(0);
  });

  // A launch here fails at once (its dependencies are not wired): what matters is what the
  // agent wrote before it got there.
  it('adds its finalizer to a Task made by hand, then launches', async () => {
    await create(r, []);
    await r.reconciler.reconcile(KEY, signal);
    expect(r.metadataWrites()).to.equal(1);
    expect(current(r)?.metadata.finalizers).to.deep.equal([AGENT_FINALIZER]);
    expect(current(r)?.status?.message).to.match(/launch\.\w+ is not wired/);
  });

  it('launches a Task created holding its finalizer with no metadata write first', async () => {
    await create(r, [AGENT_FINALIZER]);
    await r.reconciler.reconcile(KEY, signal);
    expect(r.metadataWrites()).to.equal(0);
    expect(current(r)?.status).to.deep.include({
      state: 'TASK_FAILED',
      reason: 'REASON_CONTAINER_LAUNCH_FAILED',
    });
    expect(current(r)?.status?.message).to.match(/launch\.\w+ is not wired/);
  });
});
