import { expect } from 'chai';
import { Resources } from '../../../../core/resources/index.ts';
import {
  ORIGIN_ANNOTATION,
  REJECTED_ANNOTATION,
  taskIdOf,
} from '../../../../core/framework/index.ts';
import type { KubeObject } from '../../../../core/types/index.ts';
import { AGENT_FINALIZER, CORRAL_API_VERSION } from '../../../../core/types/index.ts';
import { PLAN_ANNOTATION } from '../../../../controllers/offers/plan-store.ts';
import { APPLIED_ANNOTATION } from '../../../../controllers/reservations/applied.ts';
import {
  CREATE,
  DESTROY,
  LAUNCH,
  RESERVE,
  ROLE,
  UNRESERVE,
  mounting,
  res,
  reserved,
  task,
  volume,
} from './engine/builders.ts';
import { CrashError } from './fake-cluster.ts';
import type { World } from './world.ts';
import {
  AGENT,
  NS,
  agentObject,
  answeredOffer,
  drain,
  frameworkObject,
  keysOf,
  newWorld,
  offerOptions,
  offerReconciler,
} from './world.ts';
import { OfferReconciler } from '../../../../controllers/offers/controller.ts';

const OFFERED = res('cpus:2;mem:512;disk:1024');
const RESERVED = reserved('cpus:1;mem:128;disk:512');
const V1 = volume('256', { id: 'v1' });
const SHARED = volume('256', { id: 'shared-vol', shared: true });

function setup(): World {
  const w = newWorld();
  w.cluster.agents.put(agentObject({ cpus: '2', mem: '512', disk: '1024' }));
  w.cluster.frameworks.put(frameworkObject());
  return w;
}

// savePlanOnly runs a pass killed right after its first write, the plan's save
async function savePlanOnly(w: World, name: string): Promise<void> {
  w.cluster.budget = 1;
  await offerReconciler(w)
    .reconcile({ namespace: NS, name }, new AbortController().signal)
    .catch((e: unknown) => {
      if (!(e instanceof CrashError)) throw e;
    });
  w.cluster.budget = undefined;
}

const answer = (w: World) =>
  drain(w, [{ reconciler: offerReconciler(w), keys: keysOf(() => w.cluster.offers.list()) }]);

// snapshot is what "exactly one of everything" compares: every record's identity and content.
function snapshot(w: World): unknown {
  const c = w.cluster;
  const view = (o: KubeObject) => ({
    name: o.metadata.name,
    spec: o['spec'],
    state: (o['status'] as { state?: string } | undefined)?.state,
  });
  return {
    offers: c.offers.list().map(view),
    reservations: c.reservations.list().map(view),
    volumes: c.volumes.list().map(view),
    tasks: c.tasks.list().map(view),
    operations: c.operations.list().map(view),
  };
}

const reserveCreateLaunch = () => [
  RESERVE(RESERVED, 'op-reserve'),
  CREATE(V1, 'op-create'),
  LAUNCH([task('t1', { cpus: '1', mem: '128' }, mounting('v1'))]),
];

describe('offer controller (Mesos ACCEPT, master.cpp _accept)', () => {
  it('ReservationTest + PersistentVolumeTest.AccessPersistentVolume: RESERVE, CREATE and LAUNCH in one answer write each record once and delete the Offer', async () => {
    const w = setup();
    w.cluster.offers.put(answeredOffer('o1', OFFERED, reserveCreateLaunch()));
    await answer(w);
    const c = w.cluster;
    expect(c.offers.list()).to.have.length(0);
    expect(c.reservations.list()).to.have.length(1);
    expect(c.volumes.list()).to.have.length(1);
    expect(c.tasks.list().map(t => [t.metadata.name, t.status?.state])).to.deep.equal([
      ['t1', 'TASK_STAGING'],
    ]);
    expect(
      c.operations
        .list()
        .map(o => [o.metadata.name, o.status?.state])
        .sort(),
    ).to.deep.equal([
      ['op-create', 'OPERATION_PENDING'],
      ['op-reserve', 'OPERATION_PENDING'],
    ]);
    const [vol] = c.volumes.list();
    expect(vol?.metadata.annotations?.[APPLIED_ANNOTATION]).to.be.a('string');
    const [t1] = c.tasks.list();
    expect(t1?.spec.volumes?.[0]?.persistentVolume?.name).to.equal(vol?.metadata.name);
  });

  it('writes a launched Task once: created holding the agent finalizer, STAGING by the create, no /status write; a rejected one gets its TASK_ERROR and no finalizer', async () => {
    const w = setup();
    const launch = LAUNCH([task('ok', { cpus: '1' }), task('huge', { cpus: '64' })]);
    w.cluster.offers.put(answeredOffer('o1', OFFERED, [launch]));
    const tasks = w.cluster.tasks;
    const writes: string[] = [];
    const { create, update, updateStatus } = tasks;
    tasks.create = t => (writes.push(`create ${t.metadata.name ?? ''}`), create(t));
    tasks.update = t => (writes.push(`update ${t.metadata.name ?? ''}`), update(t));
    tasks.updateStatus = t => (
      writes.push(`status ${t.metadata.name ?? ''} ${t.status?.state ?? ''}`),
      updateStatus(t)
    );
    await answer(w);
    expect(writes.sort()).to.deep.equal(['create huge', 'create ok', 'status huge TASK_ERROR']);
    const ok = tasks.peek({ namespace: NS, name: 'ok' });
    expect(ok?.metadata.finalizers).to.deep.equal([AGENT_FINALIZER]);
    expect(ok?.status).to.deep.include({ state: 'TASK_STAGING', source: 'SOURCE_MASTER' });
    const huge = tasks.peek({ namespace: NS, name: 'huge' });
    expect(huge?.metadata.finalizers).to.equal(undefined);
    expect(huge?.status).to.deep.include({ state: 'TASK_ERROR', reason: 'REASON_TASK_INVALID' });
  });

  it('saves the plan on the Offer before it writes any record', async () => {
    const w = setup();
    w.cluster.offers.put(answeredOffer('o1', OFFERED, reserveCreateLaunch()));
    await savePlanOnly(w, 'o1');
    expect(
      w.cluster.offers.peek({ namespace: NS, name: 'o1' })?.metadata.annotations,
    ).to.have.property(PLAN_ANNOTATION);
    expect(w.cluster.reservations.list()).to.have.length(0);
    expect(w.cluster.tasks.list()).to.have.length(0);
  });

  it('killed between any two writes of an accept, a restarted controller ends with exactly one of everything', async () => {
    const reference = setup();
    reference.cluster.offers.put(answeredOffer('o1', OFFERED, reserveCreateLaunch()));
    await answer(reference);
    const want = snapshot(reference);
    const total = reference.cluster.writes;
    expect(total).to.be.greaterThan(6);
    for (let n = 0; n < total; n++) {
      const w = setup();
      w.cluster.offers.put(answeredOffer('o1', OFFERED, reserveCreateLaunch()));
      w.cluster.budget = n;
      let crashed = false;
      try {
        await answer(w);
      } catch (e) {
        if (!(e instanceof CrashError)) throw e;
        crashed = true;
      }
      expect(crashed, `crash after ${n} writes`).to.equal(true);
      w.cluster.budget = undefined;
      await answer(w); // a new controller: nothing kept in memory
      expect(snapshot(w), `after a crash at write ${n}`).to.deep.equal(want);
    }
  });

  it("writes two of a framework's answers that only launch tasks at once (different agents)", async () => {
    const w = setup();
    w.cluster.agents.put(
      agentObject({ cpus: '2', mem: '512', disk: '1024' }, undefined, 'agent-2'),
    );
    const onAgent2 = answeredOffer('o2', OFFERED, [LAUNCH([task('t2', { cpus: '1' })])]);
    onAgent2.spec.agent = 'agent-2';
    w.cluster.offers.put(answeredOffer('o1', OFFERED, [LAUNCH([task('t1', { cpus: '1' })])]));
    w.cluster.offers.put(onAgent2);
    const r = offerReconciler(w);
    const signal = new AbortController().signal;
    // first passes save the plans (and are killed there)
    await savePlanOnly(w, 'o1');
    await savePlanOnly(w, 'o2');
    // o1's first record write stays in flight...
    let release!: () => void;
    w.cluster.hold = new Promise<void>(resolve => (release = resolve));
    const first = r.reconcile({ namespace: NS, name: 'o1' }, signal);
    await Promise.resolve();
    // ...while o2's records are written, not put off until o1 is done
    const second = await r.reconcile({ namespace: NS, name: 'o2' }, signal);
    expect(second.requeueAfterMs).to.equal(undefined);
    expect(w.cluster.tasks.list().map(t => t.metadata.name)).to.deep.equal(['t2']);
    release();
    await first;
    expect(
      w.cluster.tasks
        .list()
        .map(t => t.metadata.name)
        .sort(),
    ).to.deep.equal(['t1', 't2']);
  });

  it("plans a framework's launch-only answers at once (different agents); answers that reserve are planned one at a time", async () => {
    const w = setup();
    for (const a of ['agent-2', 'agent-3', 'agent-4'])
      w.cluster.agents.put(agentObject({ cpus: '2', mem: '512', disk: '1024' }, undefined, a));
    const on = (o: ReturnType<typeof answeredOffer>, agent: string) => {
      o.spec.agent = agent;
      w.cluster.offers.put(o);
    };
    on(answeredOffer('o1', OFFERED, [LAUNCH([task('t1', { cpus: '1' })])]), AGENT);
    on(answeredOffer('o2', OFFERED, [LAUNCH([task('t2', { cpus: '1' })])]), 'agent-2');
    on(answeredOffer('o3', OFFERED, [RESERVE(reserved('cpus:1'), 'op-r3')]), 'agent-3');
    on(answeredOffer('o4', OFFERED, [RESERVE(reserved('cpus:1'), 'op-r4')]), 'agent-4');
    const woken: string[] = [];
    const r = new OfferReconciler({ ...offerOptions(w), wake: req => woken.push(req.name) });
    const signal = new AbortController().signal;
    const planOf = (name: string) =>
      w.cluster.offers.cache.get({ namespace: NS, name })?.metadata.annotations?.[PLAN_ANNOTATION];
    // o3's plan save (it reserves: it holds the framework) stays in flight...
    let release!: () => void;
    w.cluster.hold = new Promise<void>(resolve => (release = resolve));
    const reserving = r.reconcile({ namespace: NS, name: 'o3' }, signal);
    await Promise.resolve();
    // ...o4, which reserves too, parks behind it; the launch-only o1 and o2 are answered meanwhile
    expect(await r.reconcile({ namespace: NS, name: 'o4' }, signal)).to.deep.equal({});
    expect(planOf('o4')).to.equal(undefined);
    expect(await r.reconcile({ namespace: NS, name: 'o1' }, signal)).to.deep.equal({});
    expect(await r.reconcile({ namespace: NS, name: 'o2' }, signal)).to.deep.equal({});
    const names = () => w.cluster.tasks.list().map(t => t.metadata.name);
    expect(names().sort()).to.deep.equal(['t1', 't2']);
    expect(planOf('o3')).to.equal(undefined);
    release();
    await reserving;
    expect(w.cluster.reservations.list(), 'o3 answered').to.have.length(1);
    expect(woken).to.deep.equal(['o4']);
  });

  it('a pass that finds its agent held parks and is woken when the holder is done, instead of polling', async () => {
    const w = setup();
    for (const [o, t] of [
      ['o1', 't1'],
      ['o2', 't2'],
      ['o3', 't3'],
    ] as const)
      w.cluster.offers.put(answeredOffer(o, OFFERED, [LAUNCH([task(t, { cpus: '0.5' })])]));
    const woken: string[] = [];
    const r = new OfferReconciler({ ...offerOptions(w), wake: req => woken.push(req.name) });
    const signal = new AbortController().signal;
    let release!: () => void;
    w.cluster.hold = new Promise<void>(resolve => (release = resolve));
    const first = r.reconcile({ namespace: NS, name: 'o1' }, signal);
    await Promise.resolve();
    const parked = await r.reconcile({ namespace: NS, name: 'o2' }, signal);
    expect(parked.requeueAfterMs, 'no timer: it waits to be woken').to.equal(undefined);
    expect(woken).to.deep.equal([]);
    release();
    await first;
    expect(woken).to.deep.equal(['o2']);
    // without a wake (no queue to park on) the pass retries on a short timer instead
    const plain = offerReconciler(w);
    w.cluster.hold = new Promise<void>(resolve => (release = resolve));
    const again = plain.reconcile({ namespace: NS, name: 'o2' }, signal);
    await Promise.resolve();
    const busy = await plain.reconcile({ namespace: NS, name: 'o3' }, signal);
    release();
    await again;
    expect(busy.requeueAfterMs).to.be.greaterThan(0);
  });

  it('a decline holds nothing: it is answered while another answer on its agent is written', async () => {
    const w = setup();
    w.cluster.offers.put(answeredOffer('o1', OFFERED, [LAUNCH([task('t1', { cpus: '1' })])]));
    w.cluster.offers.put(answeredOffer('o2', OFFERED, 'decline'));
    const r = new OfferReconciler({ ...offerOptions(w), wake: () => undefined });
    const signal = new AbortController().signal;
    let release!: () => void;
    w.cluster.hold = new Promise<void>(resolve => (release = resolve));
    const first = r.reconcile({ namespace: NS, name: 'o1' }, signal);
    await Promise.resolve();
    const declined = r.reconcile({ namespace: NS, name: 'o2' }, signal);
    release();
    await Promise.all([first, declined]);
    expect(w.cluster.offers.cache.get({ namespace: NS, name: 'o2' })).to.equal(undefined);
  });

  it("a LAUNCH of several tasks creates them in one List create, each holding the agent's finalizer", async () => {
    const w = setup();
    const tasks = ['t1', 't2', 't3'].map(n => task(n, { cpus: '0.5', mem: '64' }));
    w.cluster.offers.put(answeredOffer('o1', OFFERED, [LAUNCH(tasks)]));
    const batches: number[] = [];
    const fake = w.cluster.tasks;
    const o = offerOptions(w);
    const r = new OfferReconciler({
      ...o,
      apis: {
        ...o.apis,
        tasks: {
          get: fake.get,
          create: fake.create,
          update: fake.update,
          updateStatus: fake.updateStatus,
          delete: fake.delete,
          createMany: objs => {
            batches.push(objs.length);
            return fake.createMany(objs);
          },
        },
      },
    });
    await drain(w, [{ reconciler: r, keys: keysOf(() => w.cluster.offers.list()) }]);
    expect(batches).to.deep.equal([3]);
    const made = w.cluster.tasks.list();
    expect(made.map(t => t.status?.state)).to.deep.equal([
      'TASK_STAGING',
      'TASK_STAGING',
      'TASK_STAGING',
    ]);
    expect(made.every(t => t.metadata.finalizers?.includes(AGENT_FINALIZER))).to.equal(true);
    expect(w.cluster.offers.list()).to.deep.equal([]);
  });

  it('MasterTest.DeclineOffer: a decline only deletes the Offer (the allocator installs the filter)', async () => {
    const w = setup();
    w.cluster.offers.put(answeredOffer('o1', OFFERED, 'decline'));
    await answer(w);
    expect(snapshot(w)).to.deep.equal({
      offers: [],
      reservations: [],
      volumes: [],
      tasks: [],
      operations: [],
    });
  });

  it('MasterTest.OfferNotRescindedOnceUsed inverse: an answer on a rescinded (deleting) Offer changes nothing', async () => {
    const w = setup();
    const o = answeredOffer('o1', OFFERED, reserveCreateLaunch());
    o.metadata.finalizers = ['test/hold'];
    o.metadata.deletionTimestamp = '2025-01-01T00:00:00Z';
    w.cluster.offers.put(o);
    await answer(w);
    expect(w.cluster.writes).to.equal(0);
  });

  it('an Offer whose Framework is gone is deleted without records (Mesos rescinds its offers)', async () => {
    const w = setup();
    w.cluster.offers.put(answeredOffer('o1', OFFERED, reserveCreateLaunch()));
    await w.cluster.frameworks.delete({ namespace: NS, name: 'fw' });
    await answer(w);
    expect(w.cluster.offers.list()).to.have.length(0);
    expect(w.cluster.tasks.list()).to.have.length(0);
  });

  it('an answer from a framework the caches have yet to see waits for them rather than being dropped', async () => {
    const w = setup();
    w.cluster.offers.put(answeredOffer('o1', OFFERED, reserveCreateLaunch()));
    const lagging = { size: 0, get: () => undefined, list: () => [] };
    const r = new OfferReconciler({ ...offerOptions(w), frameworks: lagging });
    const result = await r.reconcile({ namespace: NS, name: 'o1' }, new AbortController().signal);
    expect(result.requeueAfterMs).to.be.greaterThan(0);
    expect(w.cluster.offers.list()).to.have.length(1);
    expect(w.cluster.writes).to.equal(0);
  });

  it('ReservationTest R3: UNRESERVE of a persistent volume before DESTROY is OPERATION_ERROR with the reason', async () => {
    const w = setup();
    w.cluster.offers.put(
      answeredOffer('o1', OFFERED, [RESERVE(RESERVED, 'op-reserve'), CREATE(V1, 'op-create')]),
    );
    await answer(w);
    const offered = Resources.of(V1).add(reserved('cpus:1;mem:128;disk:256'));
    w.cluster.offers.put(
      answeredOffer('o2', offered, [UNRESERVE(Resources.of(V1), 'op-unreserve')]),
    );
    await answer(w);
    const op = w.cluster.operations.peek({ namespace: NS, name: 'op-unreserve' });
    expect(op?.status?.state).to.equal('OPERATION_ERROR');
    expect(op?.status?.message).to.match(/Please destroy the persistent volume first/);
    expect(op?.metadata.annotations).to.have.property('corral.dev/rejected', 'true');
    expect(w.cluster.volumes.list()).to.have.length(1);
    expect(w.cluster.reservations.list()).to.have.length(1);
  });

  it('PersistentVolumeTest.DestroyPersistentVolumeMultipleTasks: DESTROY of a shared volume a task uses is OPERATION_ERROR', async () => {
    const w = setup();
    w.cluster.offers.put(
      answeredOffer('o1', OFFERED, [
        RESERVE(RESERVED),
        CREATE(SHARED),
        LAUNCH([task('t1', { cpus: '1' }, mounting('shared-vol'))]),
      ]),
    );
    await answer(w);
    expect(w.cluster.tasks.list()).to.have.length(1);
    const offered = Resources.of(SHARED).add(reserved('mem:128;disk:256'));
    w.cluster.offers.put(
      answeredOffer('o2', offered, [DESTROY(Resources.of(SHARED), 'op-destroy')]),
    );
    await answer(w);
    const op = w.cluster.operations.peek({ namespace: NS, name: 'op-destroy' });
    expect(op?.status?.state).to.equal('OPERATION_ERROR');
    expect(op?.status?.message).to.match(/Persistent volumes in use: .* by task fw-ns\/t1/);
    expect(w.cluster.volumes.list()).to.have.length(1);
  });

  it('an UNRESERVE that empties a Reservation deletes it, replayed from the saved plan after a crash', async () => {
    const w = setup();
    w.cluster.offers.put(answeredOffer('o1', OFFERED, [RESERVE(RESERVED, 'op-reserve')]));
    await answer(w);
    expect(w.cluster.reservations.list()).to.have.length(1);
    w.cluster.offers.put(
      answeredOffer('o2', RESERVED, [
        UNRESERVE(RESERVED, 'op-unreserve'),
        LAUNCH([task('t2', { cpus: '1' })]),
      ]),
    );
    // plan saved, then the Operation written, then a crash before the delete
    w.cluster.budget = 3;
    try {
      await answer(w);
    } catch (e) {
      if (!(e instanceof CrashError)) throw e;
    }
    w.cluster.budget = undefined;
    await answer(w);
    expect(w.cluster.reservations.list()).to.have.length(0);
    expect(w.cluster.tasks.list().map(t => t.metadata.name)).to.deep.equal(['t2']);
    expect(
      w.cluster.operations.peek({ namespace: NS, name: 'op-unreserve' })?.status?.state,
    ).to.equal('OPERATION_PENDING');
    expect(w.cluster.agents.peek({ name: AGENT })).to.not.equal(undefined);
  });

  // oldTask is a Task of an earlier offer that still holds the name `name` (finished, kept).
  function oldTask(w: World, name: string): void {
    w.cluster.tasks.put({
      apiVersion: CORRAL_API_VERSION,
      kind: 'Task',
      metadata: {
        name,
        namespace: NS,
        uid: 'old-uid',
        annotations: { [ORIGIN_ANNOTATION]: 'old' },
      },
      spec: { agent: AGENT, framework: 'fw', role: ROLE, resources: { cpus: '1' } },
      status: { state: 'TASK_FINISHED', source: 'SOURCE_EXECUTOR' },
    });
  }

  // refusals is what a framework sees of its launches: each Task's task id, state and reason.
  const refusals = (w: World) =>
    w.cluster.tasks
      .list()
      .map(t => [taskIdOf(t), t.metadata.uid === 'old-uid', t.status?.state, t.status?.reason])
      .sort();

  it('TaskValidationTest.DuplicatedTaskID: a LAUNCH of a name an old Task still holds is TASK_ERROR on a stand-in the framework watches, the old Task untouched, exactly once across crashes', async () => {
    const reference = setup();
    oldTask(reference, 't1');
    const launch = () => [LAUNCH([task('t1', { cpus: '1' }), task('t2', { cpus: '1' })])];
    reference.cluster.offers.put(answeredOffer('o1', OFFERED, launch()));
    await answer(reference);
    expect(refusals(reference)).to.deep.equal([
      ['t1', false, 'TASK_ERROR', 'REASON_TASK_INVALID'],
      ['t1', true, 'TASK_FINISHED', undefined],
      ['t2', false, 'TASK_STAGING', undefined],
    ]);
    const standIn = reference.cluster.tasks
      .list()
      .find(t => t.metadata.name !== 't1' && t.metadata.name !== 't2');
    expect(standIn?.status?.message).to.equal('Task has duplicate ID: t1');
    expect(standIn?.spec.allocatedResources).to.equal(undefined);
    expect(standIn?.metadata.annotations).to.have.property(REJECTED_ANNOTATION, 'true');
    const want = snapshot(reference);
    const total = reference.cluster.writes;
    for (let n = 0; n < total; n++) {
      const w = setup();
      oldTask(w, 't1');
      w.cluster.offers.put(answeredOffer('o1', OFFERED, launch()));
      w.cluster.budget = n;
      await answer(w).catch((e: unknown) => {
        if (!(e instanceof CrashError)) throw e;
      });
      w.cluster.budget = undefined;
      await answer(w);
      expect(snapshot(w), `after a crash at write ${n}`).to.deep.equal(want);
    }
  });

  it('a name another offer took after the plan was saved: the launch is refused through its stand-in when written, and holds nothing, across crashes', async () => {
    const run = async (budget: number | undefined): Promise<World> => {
      const w = setup();
      w.cluster.offers.put(answeredOffer('o1', OFFERED, [LAUNCH([task('t1', { cpus: '1' })])]));
      await savePlanOnly(w, 'o1');
      oldTask(w, 't1'); // another offer's Task, written meanwhile
      w.cluster.budget = budget;
      await answer(w).catch((e: unknown) => {
        if (!(e instanceof CrashError)) throw e;
      });
      w.cluster.budget = undefined;
      await answer(w);
      return w;
    };
    const reference = await run(undefined);
    expect(refusals(reference)).to.deep.equal([
      ['t1', false, 'TASK_ERROR', 'REASON_TASK_INVALID'],
      ['t1', true, 'TASK_FINISHED', undefined],
    ]);
    expect(reference.cluster.offers.list()).to.have.length(0);
    const held = reference.cluster.tasks
      .list()
      .filter(t => t.spec.allocatedResources !== undefined);
    expect(held).to.deep.equal([]);
    // the stand-in is made from the launched task, but no agent would release its finalizer
    const standIn = reference.cluster.tasks.list().find(t => t.metadata.name !== 't1');
    expect(standIn?.metadata.finalizers).to.equal(undefined);
    for (const n of [0, 1, 2])
      expect(snapshot(await run(n)), `crash at ${n}`).to.deep.equal(snapshot(reference));
  });
});
