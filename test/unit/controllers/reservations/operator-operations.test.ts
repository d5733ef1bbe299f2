import { expect } from 'chai';
import type { Namespace } from '../../../../core/client/index.ts';
import { NO_FEEDBACK_LABEL, ORIGIN_ANNOTATION } from '../../../../core/framework/index.ts';
import type { Resource } from '../../../../core/resources/index.ts';
import { Resources, renderResource } from '../../../../core/resources/index.ts';
import type { Reservation, Volume } from '../../../../core/types/index.ts';
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
} from '../../../../controllers/reservations/operator-operations.ts';
import { reservationKind, volumeKind } from '../../../../controllers/reservations/record-kind.ts';
import { RecordReconciler } from '../../../../controllers/reservations/record-reconciler.ts';
import { items, res, reserved, volume } from '../offers/engine/builders.ts';
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
