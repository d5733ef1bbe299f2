import { expect } from 'chai';
import { pino } from 'pino';
import type { ListWatcher } from '../../../core/client/index.ts';
import { Client, corralKinds, makeSharedInformer } from '../../../core/client/index.ts';
import type { Role } from '../../../core/types/index.ts';
import { systemClock } from '../../../core/util/clock.ts';
import { startTestApiServer, type TestApiServer } from '../../helpers/api-server.ts';
import { eventually } from '../../helpers/eventually.ts';

const role = (name: string, labels: Record<string, string> = {}): Role => ({
  apiVersion: 'corral.dev/v1alpha1',
  kind: 'Role',
  metadata: { name, labels },
  spec: { role: name, weight: 1 },
});

describe('makeSharedInformer against the API server', function () {
  this.timeout(90_000);
  let api: TestApiServer;
  let client: Client;
  const stop = new AbortController();

  before(async () => {
    // watches are cut after 2 s, and only 20 events are kept for resuming them
    api = await startTestApiServer({ crdDir: 'crds', maxWatchSeconds: 2, watchCacheCapacity: 20 });
    client = Client.fromKubeConfig(api.kubeConfig);
  });
  after(async () => {
    stop.abort();
    await client.close();
    await api.stop();
  });

  it('sees add, update and delete, survives server-closed watches, and relists after a 410', async () => {
    const roles = client.for(corralKinds.roles);
    let lists = 0;
    let watches = 0;
    const counted: ListWatcher<Role> = {
      kind: corralKinds.roles,
      list: o => {
        lists += 1;
        return roles.list(o);
      },
      watch: o => {
        watches += 1;
        return roles.watch(o);
      },
      // what the informer takes from a ResourceClient, so this test runs the production path
      watchBatches: o => {
        watches += 1;
        return roles.watchBatches(o);
      },
    };
    await roles.create(role('before', { inf: 'yes' }));
    const inf = makeSharedInformer(counted, {
      clock: systemClock,
      labelSelector: 'inf=yes',
      logger: pino({ level: process.env['CORRAL_TEST_LOG'] ?? 'silent' }),
      backoff: { initialMs: 100, maxMs: 1_000 },
    });
    const seen: string[] = [];
    inf.on({
      add: o => seen.push(`add:${o.metadata.name ?? ''}`),
      update: (old, o) =>
        seen.push(`update:${o.metadata.name ?? ''}:${old.spec.weight ?? 0}->${o.spec.weight ?? 0}`),
      delete: o => seen.push(`delete:${o.metadata.name ?? ''}`),
    });
    const running = inf.run(stop.signal);
    await inf.waitForSync(stop.signal);
    expect(inf.hasSynced()).to.equal(true);
    expect(seen).to.deep.equal(['add:before']);

    await roles.create(role('r1', { inf: 'yes' }));
    await eventually(() => expect(seen).to.include('add:r1'));
    await roles.patch({ name: 'r1' }, { spec: { weight: 2 } });
    await eventually(() => expect(seen).to.include('update:r1:1->2'));
    await roles.delete({ name: 'r1' });
    await eventually(() => expect(seen).to.include('delete:r1'));
    expect(inf.cache.list().map(r => r.metadata.name)).to.deep.equal(['before']);

    // the server ends every watch after 2 s; the informer must resume and still see changes
    const watchesBefore = watches;
    await eventually(() => expect(watches).to.be.greaterThan(watchesBefore), 10_000);
    await roles.create(role('r2', { inf: 'yes' }));
    await eventually(() => expect(seen).to.include('add:r2'));
    expect(lists, 'a clean close resumes without relisting').to.equal(1);

    // push the informer's revision out of the 20-event window with writes it does not select:
    // its next watch resumes from a revision the server no longer has → 410 → relist
    for (let i = 0; i < 40; i++) await roles.create(role(`noise-${i}`));
    await eventually(() => expect(lists).to.be.greaterThan(1), 20_000);
    await roles.delete({ name: 'before' });
    await roles.create(role('r3', { inf: 'yes' }));
    await eventually(() => expect(seen).to.include('add:r3'), 20_000);
    await eventually(() => expect(seen).to.include('delete:before'));
    expect(
      inf.cache
        .list()
        .map(r => r.metadata.name)
        .sort(),
    ).to.deep.equal(['r2', 'r3']);
    stop.abort();
    await running;
  });

  it('asks the server for objects without managedFields when told to, in its lists and watches', async () => {
    const roles = client.for(corralKinds.roles);
    await roles.create(role('lean-before', { lean: 'yes' }));
    const inf = makeSharedInformer(roles, {
      clock: systemClock,
      labelSelector: 'lean=yes',
      omitManagedFields: true,
      logger: pino({ level: process.env['CORRAL_TEST_LOG'] ?? 'silent' }),
    });
    const seen: Role[] = [];
    inf.on({ add: o => seen.push(o), update: (_old, o) => seen.push(o) });
    const done = new AbortController();
    const running = inf.run(done.signal);
    await inf.waitForSync(done.signal);
    await roles.create(role('lean-after', { lean: 'yes' }));
    await eventually(() => expect(seen.map(r => r.metadata.name)).to.include('lean-after'));
    done.abort();
    await running;
    // no transform drops them here: the server left them out
    for (const r of seen) expect(r.metadata).to.not.have.property('managedFields');
    expect((await roles.get({ name: 'lean-after' })).metadata.managedFields).to.not.equal(
      undefined,
    );
  });
});
