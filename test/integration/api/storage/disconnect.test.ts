import { expect } from 'chai';
import { freshEtcd } from '../../../helpers/etcd.ts';
import type { EtcdStore } from '../../../../api/storage/etcd-store.ts';
import {
  collect,
  eventually,
  keyOf,
  openStore,
  resourcePrefixOf,
  startProxy,
  summary,
  widget,
  type TcpProxy,
} from './storage-helpers.ts';

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

describe('etcd store: watch cache across a lost connection', function () {
  this.timeout(60_000);
  let proxy: TcpProxy;
  let viaProxy: EtcdStore; // the store under test, reaching etcd through the proxy
  let direct: EtcdStore; // another writer that keeps its connection
  let n = 0;
  let root: string;

  before(async () => {
    const etcd = await freshEtcd();
    proxy = await startProxy(etcd.endpoint);
    direct = openStore(etcd.endpoint);
  });
  beforeEach(() => {
    n += 1;
    root = `/disconnect-${n}`;
    viaProxy = openStore(proxy.endpoint);
  });
  afterEach(async () => {
    await proxy.restore().catch(() => undefined);
    await viaProxy.close();
  });
  after(async () => {
    await direct.close();
    await proxy.close();
  });

  it('resumes after a transient disconnect without losing or repeating events', async () => {
    const prefix = resourcePrefixOf(root);
    const w = collect(viaProxy, { prefix });
    const a = await direct.create(keyOf(root, 'a'), widget('a'));
    await eventually(() => expect(w.events).to.have.length(1));

    await proxy.cut();
    const b = await direct.create(keyOf(root, 'b'), widget('b'));
    const a2 = await direct.update(keyOf(root, 'a'), widget('a', { v: 2 }), a.rv);
    const bDel = await direct.delete(keyOf(root, 'b'), b.rv);
    await sleep(500);
    await proxy.restore();

    const c = await direct.create(keyOf(root, 'c'), widget('c'));
    const expected = [
      `ADDED a ${a.rv}`,
      `ADDED b ${b.rv}`,
      `MODIFIED a ${a2.rv}`,
      `DELETED b ${bDel.rv}`,
      `ADDED c ${c.rv}`,
    ];
    await eventually(() => expect(summary(w.events)).to.deep.equal(expected), 30_000);
    await sleep(300); // nothing more may trickle in
    expect(summary(w.events)).to.deep.equal(expected);
    expect(w.errors).to.deep.equal([]);
    expect(viaProxy.watchStats().etcdWatchesOpened).to.equal(1);
  });

  it('ends watchers with Compacted and relists when history was compacted while away', async () => {
    const prefix = resourcePrefixOf(root);
    const a = await direct.create(keyOf(root, 'a'), widget('a'));
    const w = collect(viaProxy, { prefix, fromRevision: a.rv });
    await eventually(() => expect(viaProxy.watchStats().watchers).to.equal(1));

    await proxy.cut();
    const b = await direct.create(keyOf(root, 'b'), widget('b'));
    await direct.update(keyOf(root, 'a'), widget('a', { v: 2 }), a.rv);
    await direct.compactNow(await direct.currentRevision());
    await sleep(300);
    await proxy.restore();

    const err = await w.watcher.done;
    expect(err?.code).to.equal('Compacted');
    expect(w.errors.map(e => e.code)).to.deep.equal(['Compacted']);

    // the next watch gets a rebuilt cache with the current state
    const again = collect(viaProxy, { prefix });
    await eventually(
      () => expect(again.events.map(e => e.object.metadata.name)).to.deep.equal(['a', 'b']),
      30_000,
    );
    expect(again.events[1]?.object.metadata.resourceVersion).to.equal(b.rv);
    expect(again.events[0]?.object['spec']).to.deep.equal({ v: 2 });
    const stats = viaProxy.watchStats();
    expect(stats.etcdWatches).to.equal(1);
    expect(stats.etcdWatchesOpened).to.equal(2);
  });

  it('fails writes with Unavailable while etcd is unreachable', async () => {
    const store = openStore(proxy.endpoint, { requestTimeoutMs: 1_000 });
    try {
      await store.currentRevision(); // connect first
      await proxy.cut();
      try {
        await store.create(keyOf(root, 'x'), widget('x'));
        expect.fail('expected Unavailable');
      } catch (e) {
        expect((e as { code?: string }).code).to.equal('Unavailable');
      }
    } finally {
      await proxy.restore();
      await store.close();
    }
  });
});
