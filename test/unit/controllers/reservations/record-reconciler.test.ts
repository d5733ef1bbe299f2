import { expect } from 'chai';
import type { Namespace } from '../../../../core/client/index.ts';
import type { Resource, Resources } from '../../../../core/resources/index.ts';
import { renderResource } from '../../../../core/resources/index.ts';
import type { Agent, Reservation, Task, Volume } from '../../../../core/types/index.ts';
import { CORRAL_API_VERSION } from '../../../../core/types/index.ts';
import {
  APPLIED_ANNOTATION,
  appliedReservation,
} from '../../../../controllers/reservations/applied.ts';
import {
  RESERVATION_FINALIZER,
  VOLUME_FINALIZER,
  reservationKind,
  volumeKind,
} from '../../../../controllers/reservations/record-kind.ts';
import { RecordReconciler } from '../../../../controllers/reservations/record-reconciler.ts';
import { dynamicRes, items, reserved, res, volume } from '../offers/engine/builders.ts';
import type { World } from '../offers/world.ts';
import {
  AGENT,
  NS,
  agentObject,
  answeredOffer,
  drain,
  keysOf,
  newWorld,
  silent,
} from '../offers/world.ts';

const RETRY = 10_000;

function reconcilers(w: World) {
  const c = w.cluster;
  const common = {
    agents: c.agents.cache,
    records: c.records(),
    volumeApi: c.volumes,
    offerApi: c.offers,
    operationApi: c.operations,
    // the fake cluster keeps no namespaces, so a create never finds one missing
    namespaceApi: { create: (ns: Namespace) => Promise.resolve(ns) },
    clock: w.clock,
    logger: silent,
    retryMs: RETRY,
  };
  return {
    reservations: new RecordReconciler<Reservation>({
      ...common,
      kind: reservationKind,
      cache: c.reservations.cache,
      api: c.reservations,
    }),
    volumes: new RecordReconciler<Volume>({
      ...common,
      kind: volumeKind,
      cache: c.volumes.cache,
      api: c.volumes,
    }),
  };
}

function setup(caps?: Parameters<typeof agentObject>[1]): World {
  const w = newWorld();
  w.cluster.agents.put(agentObject({ cpus: '4', mem: '1024', disk: '2048' }, caps));
  return w;
}

const run = (w: World) => {
  const r = reconcilers(w);
  return drain(w, [
    { reconciler: r.reservations, keys: keysOf(() => w.cluster.reservations.list()) },
    { reconciler: r.volumes, keys: keysOf(() => w.cluster.volumes.list()) },
  ]);
};

function reservationObject(name: string, rs: Resources, role = 'role'): Reservation {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Reservation',
    metadata: { name },
    spec: { agent: AGENT, role, resources: items(rs) },
  };
}

function volumeObject(name: string, v: Resource, role = 'role'): Volume {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Volume',
    metadata: { name },
    spec: { agent: AGENT, role, resource: renderResource(v) },
  };
}

const rsv = (w: World, name = 'r1') => w.cluster.reservations.peek({ name });
const vol = (w: World, name = 'v1') => w.cluster.volumes.peek({ name });
const cond = (o: Reservation | Volume | undefined, type: string) =>
  o?.status?.conditions?.find(c => c.type === type);

function usingTask(w: World, v: Resource): Task {
  return w.cluster.tasks.put({
    apiVersion: CORRAL_API_VERSION,
    kind: 'Task',
    metadata: { name: 't1', namespace: NS },
    spec: {
      agent: AGENT,
      framework: 'fw',
      role: 'role',
      resources: { cpus: '1' },
      allocatedResources: items(res('cpus:1').add(v)),
    },
    status: { state: 'TASK_RUNNING' },
  });
}

describe('reservation controller: the operator API on Reservation and Volume objects', () => {
  it('MasterAPITest.ReserveResources: an operator Reservation is applied, held by a finalizer, Applied=True', async () => {
    const w = setup();
    w.cluster.reservations.put(reservationObject('r1', reserved('cpus:1;mem:128')));
    await run(w);
    const r = rsv(w);
    expect(r?.metadata.finalizers).to.deep.equal([RESERVATION_FINALIZER]);
    expect(r?.metadata.annotations).to.have.property(APPLIED_ANNOTATION);
    expect(cond(r, 'Applied')).to.include({ status: 'True', reason: 'Applied' });
  });

  it('ReservationTest.DropReserveTooLarge: more than the agent has is Applied=False (Conflict) and tried again later', async () => {
    const w = setup();
    w.cluster.reservations.put(reservationObject('r1', reserved('cpus:8')));
    await run(w);
    expect(cond(rsv(w), 'Applied')).to.include({ status: 'False', reason: 'Conflict' });
    expect(cond(rsv(w), 'Applied')?.message).to.match(/insufficient resources/);
    expect(appliedReservation(rsv(w) as Reservation)).to.equal(undefined);
    const result = await reconcilers(w).reservations.reconcile(
      { namespace: '', name: 'r1' },
      new AbortController().signal,
    );
    expect(result.requeueAfterMs).to.equal(RETRY);
  });

  it('Master::Http::reserveResources for a removed agent: a Reservation or Volume on a Gone agent is Applied=False (AgentGone) and sends nothing', async () => {
    const w = newWorld();
    const agent = agentObject({ cpus: '4', mem: '1024', disk: '2048' });
    agent.spec.gone = true;
    w.cluster.agents.put(agent);
    w.cluster.reservations.put(reservationObject('r1', reserved('cpus:1;disk:512')));
    w.cluster.volumes.put(volumeObject('v1', volume('64', { id: 'v1' })));
    await run(w);
    for (const o of [rsv(w), vol(w)]) {
      expect(cond(o, 'Applied')).to.include({ status: 'False', reason: 'AgentGone' });
      expect(o?.metadata.finalizers ?? []).to.deep.equal([]);
    }
    expect(w.cluster.operations.list()).to.deep.equal([]);
  });

  it('a hierarchical role on an agent without HIERARCHICAL_ROLE is Applied=False (Invalid)', async () => {
    const w = setup(['MULTI_ROLE']);
    w.cluster.reservations.put(
      reservationObject('r1', res('cpus:1').pushReservation(dynamicRes('eng/ml', 'ops')), 'eng/ml'),
    );
    await run(w);
    expect(cond(rsv(w), 'Applied')).to.include({ status: 'False', reason: 'Invalid' });
    expect(cond(rsv(w), 'Applied')?.message).to.match(/HIERARCHICAL_ROLE/);
  });

  it('ReservationTest R3 (operator): deleting a Reservation with volumes is held until the volumes are gone', async () => {
    const w = setup();
    w.cluster.reservations.put(reservationObject('r1', reserved('disk:512')));
    const v = volume('256', { id: 'v1' });
    w.cluster.volumes.put(volumeObject('v1', v));
    await run(w);
    expect(cond(vol(w), 'Applied')).to.include({ status: 'True' });
    await w.cluster.reservations.delete({ name: 'r1' });
    await run(w);
    expect(rsv(w)?.metadata.finalizers).to.deep.equal([RESERVATION_FINALIZER]);
    expect(cond(rsv(w), 'DeletionBlocked')).to.include({
      status: 'True',
      message: 'reservation has volumes: v1',
    });
    await w.cluster.volumes.delete({ name: 'v1' });
    await run(w);
    expect(vol(w)).to.equal(undefined);
    expect(rsv(w)).to.equal(undefined);
  });

  it('PersistentVolumeTest (operator DESTROY_VOLUMES): deleting a Volume a task uses is held until the task ends', async () => {
    const w = setup();
    w.cluster.reservations.put(reservationObject('r1', reserved('disk:512')));
    const v = volume('256', { id: 'v1' });
    w.cluster.volumes.put(volumeObject('v1', v));
    await run(w);
    const t = usingTask(w, v);
    await run(w);
    expect(vol(w)?.status?.usedBy).to.deep.equal([`${NS}/t1`]);
    await w.cluster.volumes.delete({ name: 'v1' });
    await run(w);
    expect(vol(w)?.metadata.finalizers).to.deep.equal([VOLUME_FINALIZER]);
    expect(cond(vol(w), 'DeletionBlocked')?.message).to.equal(`volume v1 in use by task ${NS}/t1`);
    t.status = { state: 'TASK_FINISHED' };
    w.cluster.tasks.put(t);
    await run(w);
    expect(vol(w)).to.equal(undefined);
  });

  it('PersistentVolumeTest (operator DESTROY_VOLUMES) + MESOS-7215: a Volume a TASK_LOST task of an unreachable agent mounts stays until the agent is marked gone', async () => {
    const w = setup();
    w.cluster.reservations.put(reservationObject('r1', reserved('disk:512')));
    const v = volume('256', { id: 'v1' });
    w.cluster.volumes.put(volumeObject('v1', v));
    await run(w);
    const t = usingTask(w, v);
    // heartbeats stopped: the task controller wrote a non-partition-aware framework's TASK_LOST
    const lost = structuredClone(w.cluster.agents.peek({ name: AGENT })) as Agent;
    lost.status = {
      conditions: [
        {
          type: 'Unreachable',
          status: 'True',
          reason: 'HeartbeatsMissed',
          lastTransitionTime: new Date(w.clock.now()).toISOString(),
        },
      ],
    };
    w.cluster.agents.put(lost);
    t.status = { state: 'TASK_LOST', source: 'SOURCE_MASTER', reason: 'REASON_AGENT_REMOVED' };
    w.cluster.tasks.put(t);
    await w.cluster.volumes.delete({ name: 'v1' });
    await run(w);
    expect(vol(w)?.metadata.finalizers).to.deep.equal([VOLUME_FINALIZER]);
    expect(cond(vol(w), 'DeletionBlocked')?.message).to.equal(`volume v1 in use by task ${NS}/t1`);
    expect(w.cluster.operations.list().filter(o => o.spec.type === 'DESTROY')).to.have.length(0);
    // MARK_AGENT_GONE: nothing on the agent holds anything any more
    const gone = structuredClone(w.cluster.agents.peek({ name: AGENT })) as Agent;
    gone.spec.gone = true;
    w.cluster.agents.put(gone);
    await run(w);
    expect(vol(w)).to.equal(undefined);
  });

  it("MasterAPITest.ReservationUpdate: changing a Reservation's role moves it and the volumes on it", async () => {
    const w = setup();
    const foo = dynamicRes('role', 'ops');
    const bar = dynamicRes('other', 'ops');
    w.cluster.reservations.put(reservationObject('r1', res('disk:512').pushReservation(foo)));
    const v = volume('256', { id: 'v1', stack: [foo] });
    w.cluster.volumes.put(volumeObject('v1', v));
    await run(w);
    const edited = structuredClone(rsv(w)) as Reservation;
    edited.spec = {
      ...edited.spec,
      role: 'other',
      resources: items(res('disk:512').pushReservation(bar)),
    };
    w.cluster.reservations.put(edited);
    await run(w);
    expect(cond(rsv(w), 'Applied')).to.include({ status: 'True' });
    expect(vol(w)?.spec.role).to.equal('other');
    expect(vol(w)?.spec.resource.reservations?.at(-1)?.role).to.equal('other');
    expect(rsv(w)?.metadata.annotations ?? {}).to.not.have.property(
      'corral.dev/pending-volume-moves',
    );
    expect(cond(vol(w), 'Applied')).to.include({ status: 'True' });
  });

  it('PersistentVolumeTest: a second volume with the same persistence id on the role is Applied=False (Invalid)', async () => {
    const w = setup();
    w.cluster.reservations.put(reservationObject('r1', reserved('disk:512')));
    w.cluster.volumes.put(volumeObject('v1', volume('128', { id: 'same' })));
    await run(w);
    w.cluster.volumes.put(volumeObject('v2', volume('128', { id: 'same' })));
    await run(w);
    expect(cond(vol(w, 'v2'), 'Applied')).to.include({ status: 'False', reason: 'Invalid' });
    expect(cond(vol(w, 'v2'), 'Applied')?.message).to.match(/not unique/);
  });

  it('Master::Http::_operation: resources held by an unanswered offer are rescinded so the operator wins', async () => {
    const w = setup();
    w.cluster.offers.put(answeredOffer('o1', res('cpus:4;mem:1024;disk:2048'), []));
    const unanswered = structuredClone(w.cluster.offers.peek({ namespace: NS, name: 'o1' }));
    if (unanswered === undefined) throw new Error('no offer');
    delete unanswered.spec.response;
    w.cluster.offers.put(unanswered);
    w.cluster.reservations.put(reservationObject('r1', reserved('cpus:4')));
    await run(w);
    expect(w.cluster.offers.list()).to.have.length(0);
    expect(cond(rsv(w), 'Applied')).to.include({ status: 'True' });
  });
});
