// An operator's Reservations and Volumes reaching the agent, through the real API server and
// controllers and the agent's real operation handling over a temporary work directory: applying a
// Volume makes its directory, deleting it removes the directory (not while a task uses it), a
// framework's DESTROY is not sent twice, and a volume controller killed between two writes sends
// each Operation exactly once after a restart.
import { expect } from 'chai';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResourceClient } from '../../../core/client/index.ts';
import { builtinKinds, corralKinds, isNotFound } from '../../../core/client/index.ts';
import { NO_FEEDBACK_LABEL, isTerminalTaskState } from '../../../core/framework/index.ts';
import { Resources, renderResource } from '../../../core/resources/index.ts';
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
  volumeKind,
} from '../../../controllers/reservations/index.ts';
import { Controller, Manager } from '../../../controllers/runtime/index.ts';
import { eventually } from '../../helpers/eventually.ts';
import {
  CREATE,
  DESTROY,
  RESERVE,
  ROLE,
  items,
  res,
  reserved,
  volume,
} from '../../unit/controllers/offers/engine/builders.ts';
import type { Budget, Flow } from './cluster.ts';
import {
  answer,
  budgeted,
  keepBeating,
  logger,
  makeAgent,
  makeFramework,
  makeNamespace,
  makeOffer,
  startFlow,
  unique,
} from './cluster.ts';

const OPS_NS = DEFAULT_OPERATION_NAMESPACE;

const condition = (o: Reservation | Volume, type: string) =>
  o.status?.conditions?.find(c => c.type === type);

const missing = (path: string): Promise<boolean> =>
  stat(path).then(
    () => false,
    (e: unknown) => (e as { code?: string }).code === 'ENOENT',
  );

/** AgentOps is the agent's real operation module running over a temporary work directory. */
interface AgentOps {
  readonly volumes: PersistentVolumeStore;
  stop(): Promise<void>;
}

/** SeenOperations records every Operation created for one agent, by uid, as a watch shows them. */
interface SeenOperations {
  readonly created: Map<string, Operation>;
  stop(): void;
}

describe('an operator’s Reservations and Volumes reach the agent as Operations (real API, real agent operation module)', function () {
  this.timeout(120_000);
  let flow: Flow;
  const stops: (() => void)[] = [];
  before(async () => {
    flow = await startFlow();
  });
  after(async () => {
    for (const s of stops) s();
    await flow.stop();
  });

  async function agent(): Promise<string> {
    const a = await makeAgent(flow.client, { cpus: '2', mem: '512', disk: '1024' });
    const name = a.metadata.name ?? '';
    stops.push(keepBeating(flow.client, name));
    return name;
  }

  // agentOps runs the agent's operation sync as agent/main.ts wires it: a volume is in use when
  // a task of the agent that has not ended holds or mounts it.
  async function agentOps(agentName: string): Promise<AgentOps> {
    const { client } = flow;
    const workDir = await mkdtemp(join(tmpdir(), 'corral-operator-ops-'));
    const volumes = new PersistentVolumeStore(workDir);
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
        const active = all.items.filter(
          t => !isTerminalTaskState(t.status?.state ?? 'TASK_STAGING'),
        );
        return volumeInUse({ volume: v, tasks: active, lookupVolume, signal });
      },
    });
    const running = new AbortController();
    const done = sync.run(running.signal);
    return {
      volumes,
      async stop() {
        running.abort();
        await done.catch(() => undefined);
        await rm(workDir, { recursive: true, force: true });
      },
    };
  }

  function watchOperations(agentName: string): SeenOperations {
    const created = new Map<string, Operation>();
    const watching = new AbortController();
    void (async () => {
      try {
        const events = flow.client
          .for(corralKinds.operations)
          .watch({ fieldSelector: `spec.agent=${agentName}`, signal: watching.signal });
        for await (const ev of events) {
          if (ev.type === 'BOOKMARK') continue;
          const op: Operation = ev.object;
          if (!created.has(op.metadata.uid ?? '')) created.set(op.metadata.uid ?? '', op);
        }
      } catch {
        // aborted
      }
    })();
    return { created, stop: () => watching.abort() };
  }

  const reservationOf = (name: string, agentName: string, text: string): Reservation => ({
    apiVersion: CORRAL_API_VERSION,
    kind: 'Reservation',
    metadata: { name },
    spec: { agent: agentName, role: ROLE, resources: items(reserved(text)) },
  });

  const volumeOf = (name: string, agentName: string, id: string, size = '256'): Volume => ({
    apiVersion: CORRAL_API_VERSION,
    kind: 'Volume',
    metadata: { name },
    spec: { agent: agentName, role: ROLE, resource: renderResource(volume(size, { id })) },
  });

  const operatorOps = async (agentName: string) =>
    (await flow.client.for(corralKinds.operations).list({ namespace: OPS_NS })).items.filter(
      o => o.spec.agent === agentName,
    );

  async function appliedVolume(agentName: string, id: string): Promise<Volume> {
    const rsvs = flow.client.for(corralKinds.reservations);
    const vols = flow.client.for(corralKinds.volumes);
    await rsvs.create(reservationOf(unique('rsv'), agentName, 'disk:512'));
    const v = await vols.create(volumeOf(unique('vol'), agentName, id));
    return eventually(async () => {
      const got = await vols.get({ name: v.metadata.name ?? '' });
      expect(condition(got, 'Applied')).to.include({ status: 'True' });
      return got;
    });
  }

  it('MasterAPITest.CreateAndDestroyVolumes: an operator’s Volume is a CREATE that makes its directory; deleting it is a DESTROY that removes the directory and its data', async () => {
    const a = await agent();
    const ops = await agentOps(a);
    const seen = watchOperations(a);
    try {
      const v = await appliedVolume(a, 'pg-data');
      const dir = ops.volumes.pathOf(v.spec.resource);
      await eventually(async () => {
        expect((await stat(dir)).isDirectory()).to.equal(true);
      });
      await writeFile(join(dir, 'table'), 'rows');
      const sent = await eventually(async () => {
        const list = await operatorOps(a);
        // a Reservation needs no work on the node: only the Volume is sent
        expect(list.map(o => [o.spec.type, o.status?.state])).to.deep.equal([
          ['CREATE', 'OPERATION_FINISHED'],
        ]);
        return list;
      });
      // like a framework's operation without an id: for the agent, nobody's feedback
      for (const o of sent) {
        expect(o.metadata.labels?.[NO_FEEDBACK_LABEL]).to.equal('true');
        expect(o.spec.framework).to.equal(undefined);
      }
      const vols = flow.client.for(corralKinds.volumes);
      await vols.delete({ name: v.metadata.name ?? '' });
      await eventually(async () => {
        expect(await missing(dir), `${dir} still there`).to.equal(true);
        await vols.get({ name: v.metadata.name ?? '' }).then(
          () => expect.fail('the Volume is still there'),
          (e: unknown) => expect(isNotFound(e)).to.equal(true),
        );
      });
      const destroys = [...seen.created.values()].filter(o => o.spec.type === 'DESTROY');
      expect(destroys).to.have.length(1);
      expect(destroys[0]?.spec.destroy?.volumes[0]?.disk?.persistence?.id).to.equal('pg-data');
      // the reservation stays, as in Mesos
      const rsvs = (await flow.client.for(corralKinds.reservations).list()).items;
      expect(rsvs.filter(r => r.spec.agent === a)).to.have.length(1);
    } finally {
      seen.stop();
      await ops.stop();
    }
  });

  it('PersistentVolumeTest (operator DESTROY_VOLUMES): a Volume a task uses is not destroyed, its data stays; once the task ends, it is', async () => {
    const { client } = flow;
    const a = await agent();
    const ops = await agentOps(a);
    const seen = watchOperations(a);
    try {
      const v = await appliedVolume(a, 'in-use');
      const dir = ops.volumes.pathOf(v.spec.resource);
      await eventually(async () => {
        expect((await stat(dir)).isDirectory()).to.equal(true);
      });
      await writeFile(join(dir, 'table'), 'rows');
      const ns = await makeNamespace(client);
      const tasks = client.for(corralKinds.tasks);
      const task = await eventually(() =>
        tasks.create({
          apiVersion: CORRAL_API_VERSION,
          kind: 'Task',
          metadata: { name: 'db', namespace: ns },
          spec: {
            agent: a,
            framework: 'fw',
            role: ROLE,
            resources: { cpus: '1' },
            allocatedResources: items(
              res('cpus:1').add(Resources.of(volume('256', { id: 'in-use' }))),
            ),
            command: { value: 'sleep 1000' },
          },
        }),
      );
      const running = await tasks.updateStatus({
        ...task,
        status: { state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR' },
      });
      const vols = client.for(corralKinds.volumes);
      await vols.delete({ name: v.metadata.name ?? '' });
      await eventually(async () => {
        const held = await vols.get({ name: v.metadata.name ?? '' });
        expect(condition(held, 'DeletionBlocked')).to.include({
          status: 'True',
          reason: 'Conflict',
        });
        expect(condition(held, 'DeletionBlocked')?.message).to.match(/in use by task/);
      });
      expect((await stat(join(dir, 'table'))).isFile()).to.equal(true);
      expect([...seen.created.values()].map(o => o.spec.type)).to.not.include('DESTROY');
      await tasks.updateStatus({
        ...running,
        status: { state: 'TASK_FINISHED', source: 'SOURCE_EXECUTOR' },
      });
      await eventually(async () => {
        expect(await missing(dir), `${dir} still there`).to.equal(true);
      });
      expect([...seen.created.values()].filter(o => o.spec.type === 'DESTROY')).to.have.length(1);
    } finally {
      seen.stop();
      await ops.stop();
    }
  });

  it('a framework’s DESTROY reaches the agent once: the Volume it removes is let go without an operator DESTROY', async () => {
    const { client } = flow;
    const a = await agent();
    const ops = await agentOps(a);
    const seen = watchOperations(a);
    try {
      const ns = await makeNamespace(client);
      await makeFramework(client, ns);
      const data = volume('256', { id: 'fw-data' });
      const dir = ops.volumes.pathOf(renderResource(data));
      const first = await makeOffer(client, ns, a, res('cpus:2;mem:512;disk:1024'));
      await answer(client, first, {
        accept: { operations: [RESERVE(reserved('disk:512')), CREATE(data)] },
      });
      await eventually(async () => {
        expect((await stat(dir)).isDirectory()).to.equal(true);
      });
      const second = await makeOffer(client, ns, a, Resources.of(data).add(reserved('disk:256')));
      await answer(client, second, { accept: { operations: [DESTROY(Resources.of(data))] } });
      await eventually(async () => {
        expect(await missing(dir), `${dir} still there`).to.equal(true);
        const left = (await client.for(corralKinds.volumes).list()).items;
        expect(left.filter(v => v.spec.agent === a)).to.deep.equal([]);
      });
      const destroys = [...seen.created.values()].filter(o => o.spec.type === 'DESTROY');
      expect(destroys.map(o => o.metadata.namespace)).to.deep.equal([ns]);
      expect(await operatorOps(a)).to.deep.equal([]);
    } finally {
      seen.stop();
      await ops.stop();
    }
  });
});

describe('the volume controller killed between two writes of an operator change (real API)', function () {
  this.timeout(120_000);
  let flow: Flow;
  before(async () => {
    flow = await startFlow(false);
    // made before the doomed controller runs, so its budget counts only the change's writes
    await flow.client.for(builtinKinds.namespaces).create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: OPS_NS },
    });
  });
  after(async () => {
    await flow.stop();
  });

  // doomed runs a volume controller that dies after `writes` writes, once it has used them all.
  async function doomed(writes: number): Promise<void> {
    const { client } = flow;
    const b: Budget = { left: writes };
    const manager = new Manager({ clock: systemClock, logger, client });
    const volumes = manager.informer(corralKinds.volumes);
    const reconciler = new RecordReconciler<Volume>({
      kind: volumeKind,
      cache: volumes.cache,
      agents: manager.informer(corralKinds.agents).cache,
      records: indexedRecords(agentIndexes(manager)),
      api: budgeted(client.for(corralKinds.volumes), b),
      volumeApi: budgeted(client.for(corralKinds.volumes), b),
      offerApi: budgeted(client.for(corralKinds.offers), b),
      operationApi: budgeted(client.for(corralKinds.operations), b),
      namespaceApi: budgeted(client.for(builtinKinds.namespaces), b),
      clock: systemClock,
      logger,
      retryMs: 300,
    });
    manager.add(
      new Controller({ name: 'doomed-volumes', reconciler, clock: systemClock, logger }).watch(
        volumes,
      ),
    );
    const abort = new AbortController();
    const running = manager.start(abort.signal);
    await eventually(() => expect(b.left).to.equal(0), 10_000);
    // it may be midway through nothing more: let a retry or two fail, then it is gone
    await new Promise(r => setTimeout(r, 100));
    abort.abort();
    await running;
  }

  async function operationsSeen(agentName: string, run: () => Promise<void>): Promise<Operation[]> {
    const created = new Map<string, Operation>();
    const watching = new AbortController();
    const watched = (async () => {
      try {
        const events = flow.client
          .for(corralKinds.operations)
          .watch({ fieldSelector: `spec.agent=${agentName}`, signal: watching.signal });
        for await (const ev of events) {
          if (ev.type === 'BOOKMARK') continue;
          const op: Operation = ev.object;
          if (!created.has(op.metadata.uid ?? '')) created.set(op.metadata.uid ?? '', op);
        }
      } catch {
        // aborted
      }
    })();
    try {
      await run();
    } finally {
      watching.abort();
      await watched;
    }
    return [...created.values()];
  }

  for (const writes of [1, 2, 3]) {
    it(`killed after ${writes} write(s) of a create and of a delete, then restarted: exactly one CREATE and one DESTROY, each PENDING for the agent`, async () => {
      const { client } = flow;
      const a =
        (await makeAgent(client, { cpus: '2', mem: '512', disk: '1024' })).metadata.name ?? '';
      const stop = keepBeating(client, a);
      const vols = client.for(corralKinds.volumes);
      const name = unique('vol');
      try {
        const seen = await operationsSeen(a, async () => {
          // the disk is reserved by a framework's answer, so only the Volume is the operator's
          const rsv: Reservation = {
            apiVersion: CORRAL_API_VERSION,
            kind: 'Reservation',
            metadata: { name: unique('rsv'), annotations: { 'corral.dev/origin': 'an-offer' } },
            spec: { agent: a, role: ROLE, resources: items(reserved('disk:512')) },
          };
          await client.for(corralKinds.reservations).create(rsv);
          await vols.create({
            apiVersion: CORRAL_API_VERSION,
            kind: 'Volume',
            metadata: { name },
            spec: { agent: a, role: ROLE, resource: renderResource(volume('256', { id: name })) },
          });
          await doomed(writes);
          flow.startControllers();
          try {
            await eventually(async () => {
              const v = await vols.get({ name });
              expect(condition(v, 'Applied')).to.include({ status: 'True' });
              expect(v.metadata.annotations).to.not.have.property('corral.dev/pending-operations');
            }, 15_000);
          } finally {
            await flow.stopControllers();
          }
          await vols.delete({ name });
          await doomed(writes);
          flow.startControllers();
          try {
            await eventually(async () => {
              await vols.get({ name }).then(
                () => expect.fail('the Volume is still there'),
                (e: unknown) => expect(isNotFound(e)).to.equal(true),
              );
            }, 15_000);
          } finally {
            await flow.stopControllers();
          }
        });
        expect(seen.map(o => o.spec.type).sort()).to.deep.equal(['CREATE', 'DESTROY']);
        const now = await operationsOf(client.for(corralKinds.operations), a);
        expect(now.map(o => [o.spec.type, o.status?.state]).sort()).to.deep.equal([
          ['CREATE', 'OPERATION_PENDING'],
          ['DESTROY', 'OPERATION_PENDING'],
        ]);
      } finally {
        stop();
      }
    });
  }
});

async function operationsOf(
  api: ResourceClient<Operation>,
  agentName: string,
): Promise<Operation[]> {
  return (await api.list({ namespace: OPS_NS })).items.filter(o => o.spec.agent === agentName);
}
