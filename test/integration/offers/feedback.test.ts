// Feedback the framework observes, and operations that reach the agent although the framework
// asked for no feedback, through the real API server and controllers (and, for DESTROY, the
// agent's real operation handling over a temporary work directory).
import { expect } from 'chai';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corralKinds, isNotFound } from '../../../core/client/index.ts';
import {
  FEEDBACK_SELECTOR,
  NO_FEEDBACK_LABEL,
  hasFeedback,
  taskIdOf,
} from '../../../core/framework/index.ts';
import { Resources, renderResource } from '../../../core/resources/index.ts';
import type { Task } from '../../../core/types/index.ts';
import { systemClock } from '../../../core/util/clock.ts';
import { PersistentVolumeStore } from '../../../agent/isolation/volumes-store.ts';
import { OperationSync } from '../../../agent/operations/operation-sync.ts';
import { volumeInUse } from '../../../agent/operations/volume-use.ts';
import { eventually } from '../../helpers/eventually.ts';
import {
  CREATE,
  DESTROY,
  LAUNCH,
  RESERVE,
  ROLE,
  res,
  reserved,
  task,
  volume,
} from '../../unit/controllers/offers/engine/builders.ts';
import type { Flow } from './cluster.ts';
import { answer, logger, makeEndedTask, makeOffer, makeWorld, startFlow } from './cluster.ts';

describe('feedback a framework observes, and operations without id reaching the agent (real API)', function () {
  this.timeout(60_000);
  let flow: Flow;
  const stops: (() => void)[] = [];

  before(async () => {
    flow = await startFlow();
  });
  after(async () => {
    for (const s of stops) s();
    await flow.stop();
  });

  const world = () => makeWorld(flow.client, stops);

  it('TaskValidationTest.DuplicatedTaskID: a LAUNCH of a name an old, finished Task still holds is TASK_ERROR on a stand-in the framework’s watch sees; the old Task is untouched', async () => {
    const { client } = flow;
    const { ns, agent } = await world();
    const tasks = client.for(corralKinds.tasks);
    const old = await makeEndedTask(client, ns, agent, 'TASK_FINISHED');
    // the framework watches its Tasks, as the SDK does
    const seen: string[] = [];
    const standInStates: string[] = [];
    let standIn: Task | undefined;
    const watching = new AbortController();
    stops.push(() => watching.abort());
    void (async () => {
      try {
        const events = tasks.watch({
          namespace: ns,
          fieldSelector: 'spec.framework=fw',
          signal: watching.signal,
        });
        for await (const ev of events) {
          if (ev.type === 'BOOKMARK') continue;
          const t: Task = ev.object;
          if (t.status?.state === undefined) continue;
          seen.push(`${ev.type} ${taskIdOf(t)} ${t.status.state} ${t.status.reason ?? ''}`);
          if (t.metadata.name !== taskIdOf(t)) {
            standIn = t;
            standInStates.push(t.status.state);
          }
        }
      } catch {
        // aborted
      }
    })();
    const offer = await makeOffer(client, ns, agent, res('cpus:2;mem:512'));
    await answer(client, offer, {
      accept: { operations: [LAUNCH([task('db', { cpus: '1' }), task('web', { cpus: '1' })])] },
    });
    await eventually(() => {
      expect(seen).to.include('MODIFIED db TASK_ERROR REASON_TASK_INVALID');
      // the launched Task is STAGING from its create (the API server's status)
      expect(seen).to.include('ADDED web TASK_STAGING ');
    });
    // the refused launch is reported TASK_ERROR alone, never STAGING first (Mesos); the old db
    // Task itself may show its own STAGING if the watch starts while its cache copy is that one
    expect(standInStates.filter(s => s === 'TASK_STAGING')).to.deep.equal([]);
    expect(taskIdOf(standIn!)).to.equal('db');
    expect(standIn?.status?.message).to.equal('Task has duplicate ID: db');
    expect(standIn?.spec.allocatedResources).to.equal(undefined);
    const db = await tasks.get({ namespace: ns, name: 'db' });
    expect(db.metadata.uid).to.equal(old.metadata.uid);
    expect(db.status?.state).to.equal('TASK_FINISHED');
    // the stand-in is feedback only: collected after the retention, the old Task stays
    await eventually(async () => {
      const names = (await tasks.list({ namespace: ns })).items.map(t => t.metadata.name).sort();
      expect(names).to.deep.equal(['db', 'web']);
    }, 10_000);
  });

  it('PersistentVolumeTest.CreateAndDestroyPersistentVolumes without ids: the agent makes the volume directory, and DESTROY removes it; no feedback is the framework’s', async () => {
    const { client } = flow;
    const { ns, agent } = await world();
    const workDir = await mkdtemp(join(tmpdir(), 'corral-ops-'));
    const volumes = new PersistentVolumeStore(workDir);
    const apiTasks = client.for(corralKinds.tasks);
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
      agentName: agent,
      clock: systemClock,
      logger,
      fieldManager: 'test-agent',
      volumes,
      inUse: async (v, signal) => {
        const mine = await apiTasks.list({ fieldSelector: `spec.agent=${agent}` });
        return volumeInUse({ volume: v, tasks: mine.items, lookupVolume, signal });
      },
    });
    const running = new AbortController();
    const done = sync.run(running.signal);
    try {
      const data = volume('256', { id: 'data' });
      const dir = volumes.pathOf(renderResource(data));
      const first = await makeOffer(client, ns, agent, res('cpus:2;mem:512;disk:1024'));
      await answer(client, first, {
        accept: { operations: [RESERVE(reserved('disk:512')), CREATE(data)] },
      });
      await eventually(async () => {
        expect((await stat(dir)).isDirectory()).to.equal(true);
      });
      const ops = client.for(corralKinds.operations);
      const all = (await ops.list({ namespace: ns })).items;
      expect(
        all.map(o => [o.spec.type, hasFeedback(o), o.metadata.labels?.[NO_FEEDBACK_LABEL]]),
      ).to.have.deep.members([
        ['RESERVE', false, 'true'],
        ['CREATE', false, 'true'],
      ]);
      // reconciliation, as a framework lists it, holds none of them
      const listed = await ops.list({
        namespace: ns,
        fieldSelector: 'spec.framework=fw',
        labelSelector: FEEDBACK_SELECTOR,
      });
      expect(listed.items).to.deep.equal([]);
      await writeFile(join(dir, 'table'), 'rows');

      const second = await makeOffer(
        client,
        ns,
        agent,
        Resources.of(data).add(reserved('disk:256')),
      );
      await answer(client, second, { accept: { operations: [DESTROY(Resources.of(data))] } });
      await eventually(async () => {
        const gone = await stat(dir).then(
          () => false,
          (e: unknown) => (e as { code?: string }).code === 'ENOENT',
        );
        expect(gone, `${dir} still there`).to.equal(true);
      });
      const mine = <T extends { spec: { agent: string } }>(l: { items: T[] }) =>
        l.items.filter(x => x.spec.agent === agent);
      await eventually(async () => {
        expect(mine(await client.for(corralKinds.volumes).list())).to.deep.equal([]);
      });
      expect(mine(await client.for(corralKinds.reservations).list())).to.have.length(1);
      expect(await readdir(join(workDir, 'volumes', 'roles', ROLE))).to.deep.equal([]);
      // finished and nobody's to acknowledge: collected after the retention
      await eventually(async () => {
        expect((await ops.list({ namespace: ns })).items).to.deep.equal([]);
      }, 10_000);
    } finally {
      running.abort();
      await done.catch(() => undefined);
      await rm(workDir, { recursive: true, force: true });
    }
  });
});
