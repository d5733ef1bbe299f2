import { expect } from 'chai';
import type { Namespace } from '../../../../core/client/index.ts';
import { NO_FEEDBACK_LABEL, ORIGIN_ANNOTATION } from '../../../../core/framework/index.ts';
import type { Resource } from '../../../../core/resources/index.ts';
import { Resources, renderResource } from '../../../../core/resources/index.ts';
import type { Operation, Reservation, Volume } from '../../../../core/types/index.ts';
import { CORRAL_API_VERSION } from '../../../../core/types/index.ts';
import type { ChangeStep } from '../../../../controllers/offers/engine/index.ts';
import { isObjectName } from '../../../../controllers/offers/engine/index.ts';
import { REMOVED_ANNOTATION } from '../../../../controllers/reservations/applied.ts';
import { DEFAULT_OPERATION_NAMESPACE } from '../../../../controllers/reservations/operation-sender.ts';
import {
  PENDING_OPERATIONS_ANNOTATION,
  operationName,
  operationsOf,
  payloadOf,
  pendingOperations,
  updateOperations,
} from '../../../../controllers/reservations/operator-operations.ts';
import { reservationKind, volumeKind } from '../../../../controllers/reservations/record-kind.ts';
import { RecordReconciler } from '../../../../controllers/reservations/record-reconciler.ts';
import { validateOperation } from '../../../../core/validation/index.ts';
import { dynamicRes, items, res, reserved, volume } from '../offers/engine/builders.ts';
import { CrashError } from '../offers/fake-cluster.ts';
import type { World } from '../offers/world.ts';
import { AGENT, agentObject, drain, keysOf, newWorld, silent } from '../offers/world.ts';

const DISK = reserved('disk:512');
const VOL = volume('256', { id: 'pg' });
const step = (action: ChangeStep['action'], consumed: Resources, converted: Resources) => ({
  action,
  consumed,
  converted,
});

describe('operator operations: what an accepted Volume change sends to the agent', () => {
  const stripped = reserved('disk:256');
  const grown = volume('384', { id: 'pg' });
  const shrunk = volume('192', { id: 'pg' });
  const cases: { name: string; step: ChangeStep; want: object }[] = [
    {
      name: 'CREATE holds the volume made',
      step: step('CREATE', stripped, Resources.of(VOL)),
      want: { create: { volumes: [renderResource(VOL)] } },
    },
    {
      name: 'DESTROY holds the volume taken',
      step: step('DESTROY', Resources.of(VOL), stripped),
      want: { destroy: { volumes: [renderResource(VOL)] } },
    },
    {
      name: 'GROW_VOLUME holds the volume and the plain disk added',
      step: step('GROW_VOLUME', Resources.of(VOL).add(reserved('disk:128')), Resources.of(grown)),
      want: {
        growVolume: {
          volume: renderResource(VOL),
          addition: renderResource(reserved('disk:128').toArray()[0] as Resource),
        },
      },
    },
    {
      name: 'SHRINK_VOLUME holds the volume and the amount it loses',
      step: step('SHRINK_VOLUME', Resources.of(VOL), Resources.of(shrunk).add(reserved('disk:64'))),
      want: { shrinkVolume: { volume: renderResource(VOL), subtract: '64' } },
    },
    {
      name: 'RESERVE holds what it reserves',
      step: step('RESERVE', res('cpus:1'), reserved('cpus:1')),
      want: { reserve: { resources: items(reserved('cpus:1')) } },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(payloadOf(c.step)).to.deep.equal(c.want);
    });
  }

  const record = (uid: string, name = 'pg-data'): Volume => ({
    apiVersion: CORRAL_API_VERSION,
    kind: 'Volume',
    metadata: { name, uid, generation: 1 },
    spec: { agent: AGENT, role: 'role', resource: renderResource(VOL) },
  });

  it('names an Operation after its record, change and step, the same on every run', () => {
    const a = operationName(record('u1'), 'gen-1', 0, 'CREATE');
    expect(a).to.match(/^pg-data-create0-[0-9a-f]{10}$/);
    expect(operationName(record('u1'), 'gen-1', 0, 'CREATE')).to.equal(a);
    const others = [
      operationName(record('u2'), 'gen-1', 0, 'CREATE'),
      operationName(record('u1'), 'gen-2', 0, 'CREATE'),
      operationName(record('u1'), 'delete', 0, 'DESTROY'),
      operationName(record('u1'), 'gen-1', 1, 'CREATE'),
    ];
    expect(new Set([a, ...others]).size).to.equal(5);
    const long = operationName(record('u1', `v.${'x'.repeat(260)}`), 'gen-1', 0, 'GROW_VOLUME');
    expect(isObjectName(long), long).to.equal(true);
  });

  it('sends nothing for RESERVE and UNRESERVE steps: the agent has no work for them', () => {
    const rsv: Reservation = {
      apiVersion: CORRAL_API_VERSION,
      kind: 'Reservation',
      metadata: { name: 'r', uid: 'u', generation: 1 },
      spec: { agent: AGENT, role: 'role', resources: items(DISK) },
    };
    const steps = [
      step('RESERVE', res('disk:512'), DISK),
      step('UNRESERVE', DISK, res('disk:512')),
    ];
    expect(operationsOf(rsv, steps, false)).to.deep.equal([]);
  });

  it('reads a garbled pending annotation as nothing to send, so the record can move on', () => {
    const v = record('u1');
    v.metadata.annotations = { [PENDING_OPERATIONS_ANNOTATION]: '{not json' };
    expect(pendingOperations(v)).to.deep.equal({ operations: [], release: false });
    expect(pendingOperations(record('u1'))).to.equal(undefined);
  });
});

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
    retryMs: 10_000,
  };
  return [
    {
      reconciler: new RecordReconciler<Reservation>({
        ...common,
        kind: reservationKind,
        cache: c.reservations.cache,
        api: c.reservations,
      }),
      keys: keysOf(() => c.reservations.list()),
    },
    {
      reconciler: new RecordReconciler<Volume>({
        ...common,
        kind: volumeKind,
        cache: c.volumes.cache,
        api: c.volumes,
      }),
      keys: keysOf(() => c.volumes.list()),
    },
  ];
}

const run = (w: World) => drain(w, reconcilers(w));

function world(): World {
  const w = newWorld();
  w.cluster.agents.put(agentObject({ cpus: '4', mem: '1024', disk: '2048' }));
  w.cluster.reservations.put({
    apiVersion: CORRAL_API_VERSION,
    kind: 'Reservation',
    metadata: { name: 'r1' },
    spec: { agent: AGENT, role: 'role', resources: items(DISK) },
  });
  return w;
}

const volumeObject = (name = 'v1'): Volume => ({
  apiVersion: CORRAL_API_VERSION,
  kind: 'Volume',
  metadata: { name },
  spec: { agent: AGENT, role: 'role', resource: renderResource(VOL) },
});

const sent = (w: World) =>
  w.cluster.operations
    .list(DEFAULT_OPERATION_NAMESPACE)
    .map(o => [o.spec.type, o.status?.state] as const)
    .sort();

describe('reservation controller: operator changes reach the agent as Operations', () => {
  it('MasterAPITest.CreateAndDestroyVolumes: an applied Volume sends one CREATE, its deletion one DESTROY, then the record goes', async () => {
    const w = world();
    w.cluster.volumes.put(volumeObject());
    await run(w);
    const [create] = w.cluster.operations.list(DEFAULT_OPERATION_NAMESPACE);
    expect(create?.spec).to.deep.equal({
      type: 'CREATE',
      agent: AGENT,
      create: { volumes: [renderResource(VOL)] },
    });
    expect(create?.status?.state).to.equal('OPERATION_PENDING');
    expect(create?.metadata.labels?.[NO_FEEDBACK_LABEL]).to.equal('true');
    const v = w.cluster.volumes.peek({ name: 'v1' });
    expect(create?.metadata.annotations?.[ORIGIN_ANNOTATION]).to.equal(
      `Volume/v1/${v?.metadata.uid ?? ''}`,
    );
    expect(v?.metadata.annotations ?? {}).to.not.have.property(PENDING_OPERATIONS_ANNOTATION);
    // the Reservation sent nothing: only the CREATE is there
    expect(sent(w)).to.deep.equal([['CREATE', 'OPERATION_PENDING']]);
    await w.cluster.volumes.delete({ name: 'v1' });
    await run(w);
    expect(w.cluster.volumes.peek({ name: 'v1' })).to.equal(undefined);
    expect(sent(w)).to.deep.equal([
      ['CREATE', 'OPERATION_PENDING'],
      ['DESTROY', 'OPERATION_PENDING'],
    ]);
  });

  it('a Volume an offer answer removed (REMOVED_ANNOTATION) is released without a DESTROY of its own', async () => {
    const w = world();
    w.cluster.volumes.put(volumeObject());
    await run(w);
    const v = structuredClone(w.cluster.volumes.peek({ name: 'v1' })) as Volume;
    v.metadata.annotations = { ...v.metadata.annotations, [REMOVED_ANNOTATION]: 'offer-uid' };
    w.cluster.volumes.put(v);
    await w.cluster.volumes.delete({ name: 'v1' });
    await run(w);
    expect(w.cluster.volumes.peek({ name: 'v1' })).to.equal(undefined);
    expect(sent(w)).to.deep.equal([['CREATE', 'OPERATION_PENDING']]);
  });

  it('a Volume an offer answer removed is still held while a task uses it (the engine decides), and sends nothing when let go', async () => {
    const w = world();
    w.cluster.volumes.put(volumeObject());
    await run(w);
    const task = w.cluster.tasks.put({
      apiVersion: CORRAL_API_VERSION,
      kind: 'Task',
      metadata: { name: 't1', namespace: 'fw' },
      spec: {
        agent: AGENT,
        framework: 'fw',
        role: 'role',
        resources: { cpus: '1' },
        allocatedResources: items(res('cpus:1').add(Resources.of(VOL))),
      },
      status: { state: 'TASK_RUNNING' },
    });
    const v = structuredClone(w.cluster.volumes.peek({ name: 'v1' })) as Volume;
    v.metadata.annotations = { ...v.metadata.annotations, [REMOVED_ANNOTATION]: 'offer-uid' };
    w.cluster.volumes.put(v);
    await w.cluster.volumes.delete({ name: 'v1' });
    await run(w);
    const held = w.cluster.volumes.peek({ name: 'v1' });
    expect(held?.status?.conditions?.find(c => c.type === 'DeletionBlocked')?.status).to.equal(
      'True',
    );
    w.cluster.tasks.put({ ...structuredClone(task), status: { state: 'TASK_FINISHED' } });
    await run(w);
    expect(w.cluster.volumes.peek({ name: 'v1' })).to.equal(undefined);
    expect(sent(w)).to.deep.equal([['CREATE', 'OPERATION_PENDING']]);
  });

  it('a Volume never applied (refused) sends no DESTROY when deleted', async () => {
    const w = world();
    const big = volumeObject();
    big.spec.resource = renderResource(volume('4096', { id: 'pg' }));
    w.cluster.volumes.put(big);
    await run(w);
    await w.cluster.volumes.delete({ name: 'v1' });
    await run(w);
    expect(w.cluster.volumes.peek({ name: 'v1' })).to.equal(undefined);
    expect(sent(w)).to.deep.equal([]);
  });

  for (let writes = 1; writes <= 6; writes++) {
    it(`killed after ${writes} write(s) of a create and again of a delete, then run again: one CREATE and one DESTROY`, async () => {
      const w = world();
      await run(w); // the Reservation applied first
      w.cluster.volumes.put(volumeObject());
      for (const change of ['create', 'delete'] as const) {
        if (change === 'delete') await w.cluster.volumes.delete({ name: 'v1' });
        w.cluster.budget = writes;
        await run(w).then(
          () => undefined,
          (e: unknown) => {
            if (!(e instanceof CrashError)) throw e;
          },
        );
        w.cluster.budget = undefined;
        await run(w);
      }
      expect(w.cluster.volumes.peek({ name: 'v1' })).to.equal(undefined);
      expect(sent(w)).to.deep.equal([
        ['CREATE', 'OPERATION_PENDING'],
        ['DESTROY', 'OPERATION_PENDING'],
      ]);
    });
  }
});

describe('reservation controller: a reservation update with volumes moves their data on the agent', () => {
  const DB = dynamicRes('role', 'ops');
  const BI = dynamicRes('other', 'ops');
  const PG = volume('256', { id: 'pg', stack: [DB] });

  function moving(): World {
    const w = newWorld();
    w.cluster.agents.put(agentObject({ cpus: '4', mem: '1024', disk: '2048' }));
    w.cluster.reservations.put({
      apiVersion: CORRAL_API_VERSION,
      kind: 'Reservation',
      metadata: { name: 'r1' },
      spec: { agent: AGENT, role: 'role', resources: items(res('disk:512').pushReservation(DB)) },
    });
    w.cluster.volumes.put({
      apiVersion: CORRAL_API_VERSION,
      kind: 'Volume',
      metadata: { name: 'v1' },
      spec: { agent: AGENT, role: 'role', resource: renderResource(PG) },
    });
    return w;
  }

  // moveTo edits the Reservation as an operator's update would (its generation moves on)
  async function moveTo(w: World, to: typeof BI, role: string): Promise<void> {
    const r = structuredClone(w.cluster.reservations.peek({ name: 'r1' })) as Reservation;
    r.spec = { ...r.spec, role, resources: items(res('disk:512').pushReservation(to)) };
    await w.cluster.reservations.update(r);
  }

  const reserves = (w: World) =>
    w.cluster.operations.list(DEFAULT_OPERATION_NAMESPACE).filter(o => o.spec.type === 'RESERVE');

  it('MasterAPITest.ReservationUpdate: one RESERVE from the old stack to the new, the volume in both, sent before the Volume is rewritten', async () => {
    const w = moving();
    await run(w);
    await moveTo(w, BI, 'other');
    await run(w);
    const [move, ...more] = reserves(w);
    expect(more).to.deep.equal([]);
    const moved = { ...PG, reservations: [BI] };
    expect(move?.spec).to.deep.equal({
      type: 'RESERVE',
      agent: AGENT,
      reserve: {
        source: items(res('disk:256').pushReservation(DB).add(PG)),
        resources: items(res('disk:256').pushReservation(BI).add(moved)),
      },
    });
    expect(move?.status?.state).to.equal('OPERATION_PENDING');
    const r = w.cluster.reservations.peek({ name: 'r1' });
    expect(move?.metadata.annotations?.[ORIGIN_ANNOTATION]).to.equal(
      `Reservation/r1/${r?.metadata.uid ?? ''}`,
    );
    expect(move?.metadata.name).to.match(/^r1-reserve2-[0-9a-f]{10}$/);
    expect(move?.metadata.labels?.[NO_FEEDBACK_LABEL]).to.equal('true');
    expect(w.cluster.volumes.peek({ name: 'v1' })?.spec.resource).to.deep.equal(
      renderResource(moved),
    );
    // the Operation passes the API server's rules for it
    expect(validateOperation(move?.spec as Operation['spec'])).to.deep.equal([]);
  });

  it('sends no RESERVE for a reservation update without volumes on it, nor for a new Reservation', async () => {
    const w = moving();
    await w.cluster.volumes.delete({ name: 'v1' });
    await run(w);
    await moveTo(w, BI, 'other');
    await run(w);
    expect(reserves(w)).to.deep.equal([]);
  });

  it('moving there and back sends two moves, under two names, in that order', async () => {
    const w = moving();
    await run(w);
    await moveTo(w, BI, 'other');
    await run(w);
    await moveTo(w, DB, 'role');
    await run(w);
    const moves = reserves(w);
    expect(moves).to.have.length(2);
    expect(new Set(moves.map(o => o.metadata.name)).size).to.equal(2);
    const roles = moves.map(o => o.spec.reserve?.resources[0]?.reservations?.at(-1)?.role).sort();
    expect(roles).to.deep.equal(['other', 'role']);
  });

  for (let writes = 1; writes <= 6; writes++) {
    it(`killed after ${writes} write(s) of the move, then run again: exactly one RESERVE, and the Volume moved`, async () => {
      const w = moving();
      await run(w);
      await moveTo(w, BI, 'other');
      w.cluster.budget = writes;
      await run(w).then(
        () => undefined,
        (e: unknown) => {
          if (!(e instanceof CrashError)) throw e;
        },
      );
      w.cluster.budget = undefined;
      await run(w);
      expect(reserves(w).map(o => o.status?.state)).to.deep.equal(['OPERATION_PENDING']);
      expect(w.cluster.volumes.peek({ name: 'v1' })?.spec.role).to.equal('other');
    });
  }

  it('updateOperations sends nothing for a Volume or a plan that moves no volume', () => {
    const v = w0Volume();
    const plan = {
      ok: true as const,
      steps: [step('RESERVE', res('disk:1'), reserved('disk:1'))],
      total: Resources.EMPTY,
      rescind: false,
      movedVolumes: [{ name: 'v1', resource: PG }],
    };
    expect(updateOperations(v, plan)).to.deep.equal([]);
  });
});

function w0Volume(): Volume {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Volume',
    metadata: { name: 'v', uid: 'u', generation: 1 },
    spec: { agent: AGENT, role: 'role', resource: renderResource(VOL) },
  };
}
