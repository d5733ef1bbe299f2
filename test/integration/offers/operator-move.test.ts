// Mesos 1.10's reservation update with volumes on the reservation, end to end through the real API
// server (the role changed with `kubectl apply`), the real controllers and the agent's real
// operation module over a temporary work directory: the volume's data ends up under the new role's
// directory, where a task of the new role mounts it and a DESTROY removes it; the move waits for an
// agent that is down (nobody else finishes it); a reservation controller killed midway sends
// exactly one move; and Operations pending across an agent restart run in creation order.
import { expect } from 'chai';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinKinds, corralKinds, isNotFound } from '../../../core/client/index.ts';
import { ORIGIN_ANNOTATION, isTerminalTaskState } from '../../../core/framework/index.ts';
import { renderResource } from '../../../core/resources/index.ts';
import type { Operation, Reservation, Volume } from '../../../core/types/index.ts';
import { CORRAL_API_VERSION } from '../../../core/types/index.ts';
import { systemClock } from '../../../core/util/clock.ts';
import { PersistentVolumeStore } from '../../../agent/isolation/volumes-store.ts';
import { OperationSync } from '../../../agent/operations/operation-sync.ts';
import { volumeInUse } from '../../../agent/operations/volume-use.ts';
import { agentIndexes } from '../../../controllers/agents/indexes.ts';
import {
  DEFAULT_OPERATION_NAMESPACE,
  RecordReconciler,
  indexedRecords,
  reservationKind,
} from '../../../controllers/reservations/index.ts';
import { Controller, Manager } from '../../../controllers/runtime/index.ts';
import { eventually } from '../../helpers/eventually.ts';
import type { Kubectl } from '../../helpers/kubectl.ts';
import { makeKubectl } from '../../helpers/kubectl.ts';
import { dynamicRes, items, res, volume } from '../../unit/controllers/offers/engine/builders.ts';
import type { Budget, Flow } from './cluster.ts';
import {
  budgeted,
  keepBeating,
  logger,
  makeAgent,
  makeNamespace,
  startFlow,
  unique,
} from './cluster.ts';

const OPS_NS = DEFAULT_OPERATION_NAMESPACE;
const DB = dynamicRes('databases', 'ops');
const BI = dynamicRes('analytics', 'ops');

const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    (e: unknown) => {
      if ((e as { code?: string }).code === 'ENOENT') return false;
      throw e;
    },
  );

/** AgentOps is the agent's real operation module over a work directory, stoppable and restartable. */
interface AgentOps {
  stop(): Promise<void>;
}

// startOps runs the agent's operation sync as agent/main.ts wires it: a volume is in use when a
// task of the agent that has not ended holds or mounts it.
function startOps(flow: Flow, agentName: string, volumes: PersistentVolumeStore): AgentOps {
  const { client } = flow;
  const lookupVolume = (name: string, signal: AbortSignal) =>
    client
      .for(corralKinds.volumes)
      .get({ name }, { signal })
      .catch((e: unknown) => {
        if (isNotFound(e)) return undefined;
        throw e;
      });
  const sync = new OperationSync({
    client,
    agentName,
    clock: systemClock,
    logger,
    fieldManager: 'test-agent',
    volumes,
    inUse: async (v, signal) => {
      const all = await client
        .for(corralKinds.tasks)
        .list({ fieldSelector: `spec.agent=${agentName}` });
      const active = all.items.filter(t => !isTerminalTaskState(t.status?.state ?? 'TASK_STAGING'));
      return volumeInUse({ volume: v, tasks: active, lookupVolume, signal });
    },
  });
  const running = new AbortController();
  const done = sync.run(running.signal);
  return {
    async stop() {
      running.abort();
      await done.catch(() => undefined);
    },
  };
}

const reservationYaml = (name: string, agent: string, top: typeof DB): string =>
  JSON.stringify({
    apiVersion: CORRAL_API_VERSION,
    kind: 'Reservation',
    metadata: { name },
    spec: { agent, role: top.role, resources: items(res('disk:512').pushReservation(top)) },
  });

const volumeOf = (name: string, agent: string, id: string): Volume => ({
  apiVersion: CORRAL_API_VERSION,
  kind: 'Volume',
  metadata: { name },
  spec: { agent, role: DB.role, resource: renderResource(volume('256', { id, stack: [DB] })) },
});

const applied = (o: Reservation | Volume): boolean =>
  o.status?.conditions?.some(c => c.type === 'Applied' && c.status === 'True') === true;

const movesOf = async (flow: Flow, agent: string): Promise<Operation[]> =>
  (await flow.client.for(corralKinds.operations).list({ namespace: OPS_NS })).items.filter(
    o => o.spec.agent === agent && o.spec.type === 'RESERVE',
  );

/** Placed is a Volume with data in its directory under the old role. */
interface Placed {
  readonly rsv: string;
  readonly vol: string;
  readonly id: string;
  readonly oldDir: string;
  readonly newDir: string;
}

// place applies a Reservation (kubectl) and a Volume on it and writes data into the volume.
async function place(
  flow: Flow,
  kubectl: Kubectl,
  agent: string,
  volumes: PersistentVolumeStore,
): Promise<Placed> {
  const rsv = unique('rsv');
  const vol = unique('vol');
  const id = unique('data');
  await kubectl.ok(['apply', '-f', '-'], reservationYaml(rsv, agent, DB));
  await flow.client.for(corralKinds.volumes).create(volumeOf(vol, agent, id));
  const oldDir = volumes.path({ role: DB.role, persistenceId: id });
  await eventually(async () => {
    expect(applied(await flow.client.for(corralKinds.volumes).get({ name: vol }))).to.equal(true);
    expect(await exists(oldDir), `${oldDir} made by the CREATE`).to.equal(true);
  }, 15_000);
  await writeFile(join(oldDir, 'table'), 'rows');
  return { rsv, vol, id, oldDir, newDir: volumes.path({ role: BI.role, persistenceId: id }) };
}

describe('a Reservation moved to another role carries its volumes’ data on the agent (real API, kubectl, real agent operation module)', function () {
  this.timeout(120_000);
  let flow: Flow;
  let kubectl: Kubectl;
  let workDir: string;
  let volumes: PersistentVolumeStore;
  const stops: (() => void)[] = [];
  before(async () => {
    flow = await startFlow();
    kubectl = makeKubectl(flow.api.kubeconfigPath);
    workDir = await mkdtemp(join(tmpdir(), 'corral-operator-move-'));
    volumes = new PersistentVolumeStore(workDir);
  });
  after(async () => {
    for (const s of stops) s();
    await flow.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  it('MasterAPITest.ReservationUpdate with a volume: the data moves to the new role’s directory once the agent is back; a task of the new role mounts it, a DESTROY removes it', async () => {
    const { client } = flow;
    const agent = (await makeAgent(client, { cpus: '2', mem: '512', disk: '1024' })).metadata
      .name as string;
    stops.push(keepBeating(client, agent));
    let ops = startOps(flow, agent, volumes);
    try {
      const p = await place(flow, kubectl, agent, volumes);
      // the agent's operation loop is down while the role changes
      await ops.stop();
      await kubectl.ok(['apply', '-f', '-'], reservationYaml(p.rsv, agent, BI));
      const [move] = await eventually(async () => {
        const v = await client.for(corralKinds.volumes).get({ name: p.vol });
        expect(v.spec.role).to.equal(BI.role);
        const list = await movesOf(flow, agent);
        expect(list.map(o => o.status?.state)).to.deep.equal(['OPERATION_PENDING']);
        return list;
      }, 15_000);
      expect(move?.spec.reserve?.source?.some(r => r.disk?.persistence?.id === p.id)).to.equal(
        true,
      );
      // past the confirm grace (500 ms here) the operation controller would finish a plain
      // RESERVE itself; this one only the agent can carry out
      await new Promise(r => setTimeout(r, 1500));
      expect((await movesOf(flow, agent)).map(o => o.status?.state)).to.deep.equal([
        'OPERATION_PENDING',
      ]);
      expect(await readFile(join(p.oldDir, 'table'), 'utf8')).to.equal('rows');
      ops = startOps(flow, agent, volumes);
      await eventually(async () => {
        const [done] = await movesOf(flow, agent);
        expect(done?.status?.state, done?.status?.message).to.equal('OPERATION_FINISHED');
      }, 15_000);
      expect(await readFile(join(p.newDir, 'table'), 'utf8')).to.equal('rows');
      expect(await exists(p.oldDir), `${p.oldDir} still there`).to.equal(false);

      // a task of the new role mounts the Volume: the agent finds the data where it mounts it
      const vol = await client.for(corralKinds.volumes).get({ name: p.vol });
      const mount = volumes.mount(vol.spec.resource, '/data');
      expect(mount.source).to.equal(p.newDir);
      expect(await readFile(join(mount.source, 'table'), 'utf8')).to.equal('rows');
      const ns = await makeNamespace(client);
      const tasks = client.for(corralKinds.tasks);
      const t = await eventually(() =>
        tasks.create({
          apiVersion: CORRAL_API_VERSION,
          kind: 'Task',
          metadata: { name: 'report', namespace: ns },
          spec: {
            agent,
            framework: 'fw',
            role: BI.role,
            resources: { cpus: '1' },
            allocatedResources: items(res('cpus:1').add(volume('256', { id: p.id, stack: [BI] }))),
            command: { value: 'cat /data/table' },
            volumes: [{ containerPath: '/data', mode: 'RO', persistentVolume: { name: p.vol } }],
          },
        }),
      );
      const signal = new AbortController().signal;
      const lookupVolume = (name: string) => client.for(corralKinds.volumes).get({ name });
      expect(
        await volumeInUse({ volume: vol.spec.resource, tasks: [t], lookupVolume, signal }),
      ).to.equal(true);
      await eventually(async () => {
        const cur = await tasks.get({ namespace: ns, name: 'report' });
        await tasks.updateStatus({ ...cur, status: { state: 'TASK_FINISHED' } });
      });

      // deleting the Volume is a DESTROY of the new role's directory
      await client.for(corralKinds.volumes).delete({ name: p.vol });
      await eventually(async () => {
        expect(await exists(p.newDir), `${p.newDir} still there`).to.equal(false);
      }, 15_000);
      expect(await exists(p.oldDir)).to.equal(false);
    } finally {
      await ops.stop();
    }
  });
});

describe('the reservation controller killed midway through a move with volumes (real API, real agent operation module)', function () {
  this.timeout(180_000);
  let flow: Flow;
  let kubectl: Kubectl;
  let workDir: string;
  let volumes: PersistentVolumeStore;
  before(async () => {
    flow = await startFlow(false);
    kubectl = makeKubectl(flow.api.kubeconfigPath);
    workDir = await mkdtemp(join(tmpdir(), 'corral-operator-move-crash-'));
    volumes = new PersistentVolumeStore(workDir);
    await flow.client.for(builtinKinds.namespaces).create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: OPS_NS },
    });
  });
  after(async () => {
    await flow.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  // doomed runs a reservation controller that dies after `writes` writes, once it used them all.
  async function doomed(writes: number): Promise<void> {
    const { client } = flow;
    const b: Budget = { left: writes };
    const manager = new Manager({ clock: systemClock, logger, client });
    const reservations = manager.informer(corralKinds.reservations);
    const reconciler = new RecordReconciler<Reservation>({
      kind: reservationKind,
      cache: reservations.cache,
      agents: manager.informer(corralKinds.agents).cache,
      records: indexedRecords(agentIndexes(manager)),
      api: budgeted(client.for(corralKinds.reservations), b),
      volumeApi: budgeted(client.for(corralKinds.volumes), b),
      offerApi: budgeted(client.for(corralKinds.offers), b),
      operationApi: budgeted(client.for(corralKinds.operations), b),
      namespaceApi: budgeted(client.for(builtinKinds.namespaces), b),
      clock: systemClock,
      logger,
      retryMs: 300,
    });
    manager.add(
      new Controller({
        name: 'doomed-reservations',
        reconciler,
        clock: systemClock,
        logger,
      }).watch(reservations),
    );
    const abort = new AbortController();
    const running = manager.start(abort.signal);
    await eventually(() => expect(b.left).to.equal(0), 10_000);
    // it may be midway through nothing more: let a retry or two fail, then it is gone
    await new Promise(r => setTimeout(r, 100));
    abort.abort();
    await running;
  }

  for (const writes of [1, 2, 3, 4, 5]) {
    it(`killed after ${writes} write(s) of the move, then restarted: exactly one RESERVE reaches the agent, and the data is under the new role`, async () => {
      const { client } = flow;
      const agent = (await makeAgent(client, { cpus: '2', mem: '512', disk: '1024' })).metadata
        .name as string;
      const stop = keepBeating(client, agent);
      const ops = startOps(flow, agent, volumes);
      const seen = new Map<string, Operation>();
      const watching = new AbortController();
      const watched = (async () => {
        try {
          const events = client
            .for(corralKinds.operations)
            .watch({ namespace: OPS_NS, signal: watching.signal });
          for await (const ev of events) {
            if (ev.type === 'BOOKMARK') continue;
            const op: Operation = ev.object;
            if (op.spec.agent === agent && op.spec.type === 'RESERVE')
              seen.set(op.metadata.uid ?? '', op);
          }
        } catch {
          // aborted
        }
      })();
      try {
        flow.startControllers();
        const p = await place(flow, kubectl, agent, volumes);
        await flow.stopControllers();
        await kubectl.ok(['apply', '-f', '-'], reservationYaml(p.rsv, agent, BI));
        await doomed(writes);
        flow.startControllers();
        try {
          await eventually(async () => {
            const v = await client.for(corralKinds.volumes).get({ name: p.vol });
            expect(v.spec.role).to.equal(BI.role);
            const r = await client.for(corralKinds.reservations).get({ name: p.rsv });
            expect(applied(r)).to.equal(true);
            expect(r.metadata.annotations ?? {}).to.not.have.property(
              'corral.dev/pending-operations',
            );
            const [done] = await movesOf(flow, agent);
            expect(done?.status?.state, done?.status?.message).to.equal('OPERATION_FINISHED');
          }, 20_000);
        } finally {
          await flow.stopControllers();
        }
        expect(await readFile(join(p.newDir, 'table'), 'utf8')).to.equal('rows');
        expect(await exists(p.oldDir)).to.equal(false);
        expect(await movesOf(flow, agent)).to.have.length(1);
      } finally {
        watching.abort();
        await watched;
        await ops.stop();
        stop();
      }
      expect(seen.size, 'RESERVE Operations created').to.equal(1);
    });
  }
});

describe('Operations pending across an agent restart run in creation order (real API, real agent operation module)', function () {
  this.timeout(60_000);
  let flow: Flow;
  let workDir: string;
  before(async () => {
    flow = await startFlow(false);
    workDir = await mkdtemp(join(tmpdir(), 'corral-operator-order-'));
    await flow.client.for(builtinKinds.namespaces).create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: OPS_NS },
    });
  });
  after(async () => {
    await flow.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  it('a CREATE and a later DESTROY of one volume, listed DESTROY first by name, leave no directory behind', async () => {
    const { client } = flow;
    const agent = (await makeAgent(client, { cpus: '2', mem: '512', disk: '1024' })).metadata
      .name as string;
    const stop = keepBeating(client, agent);
    const volumes = new PersistentVolumeStore(workDir);
    const v = renderResource(volume('256', { id: unique('data'), stack: [DB] }));
    const api = client.for(corralKinds.operations);
    // made while the agent is down, in this order; by name the DESTROY sorts first
    const pending = async (name: string, spec: Operation['spec']): Promise<void> => {
      const op = await api.create({
        apiVersion: CORRAL_API_VERSION,
        kind: 'Operation',
        metadata: {
          name,
          namespace: OPS_NS,
          annotations: { [ORIGIN_ANNOTATION]: `Volume/test/${name}` },
        },
        spec,
      });
      await api.updateStatus({ ...op, status: { state: 'OPERATION_PENDING' } });
    };
    await pending(unique('z-create'), { type: 'CREATE', agent, create: { volumes: [v] } });
    await pending(unique('a-destroy'), { type: 'DESTROY', agent, destroy: { volumes: [v] } });
    const ops = startOps(flow, agent, volumes);
    try {
      await eventually(async () => {
        const list = (await api.list({ namespace: OPS_NS })).items.filter(
          o => o.spec.agent === agent,
        );
        expect(list.map(o => o.status?.state)).to.deep.equal([
          'OPERATION_FINISHED',
          'OPERATION_FINISHED',
        ]);
      }, 15_000);
      const dir = volumes.pathOf(v);
      expect(await exists(dir), `${dir} left behind`).to.equal(false);
    } finally {
      await ops.stop();
      stop();
    }
  });
});
