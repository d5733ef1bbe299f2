import { expect } from 'chai';
import { sharedEtcd, uniquePrefix } from '../../../helpers/etcd.ts';
import type { EtcdStore } from '../../../../api/storage/etcd-store.ts';
import {
  collect,
  eventually,
  keyOf,
  openStore,
  resourcePrefixOf,
  summary,
  widget,
} from './storage-helpers.ts';

describe('etcd store: watch cache', () => {
  let endpoint: string;
  let store: EtcdStore;
  let root: string;
  let prefix: string;

  before(async () => {
    endpoint = (await sharedEtcd()).endpoint;
  });
  beforeEach(() => {
    store = openStore(endpoint);
    root = uniquePrefix('watch');
    prefix = resourcePrefixOf(root);
  });
  afterEach(() => store.close());

  it('replays exactly the events after fromRevision, then follows live changes', async () => {
    const a = await store.create(keyOf(root, 'a'), widget('a'));
    const a2 = await store.update(keyOf(root, 'a'), widget('a', { v: 2 }), a.rv);
    const b = await store.create(keyOf(root, 'b'), widget('b'));
    const w = collect(store, { prefix, fromRevision: a.rv });
    await eventually(() => expect(w.events).to.have.length(2));
    const del = await store.delete(keyOf(root, 'a'), a2.rv);
    await eventually(() => expect(w.events).to.have.length(3));
    expect(summary(w.events)).to.deep.equal([
      `MODIFIED a ${a2.rv}`,
      `ADDED b ${b.rv}`,
      `DELETED a ${del.rv}`,
    ]);
    expect(w.events[0]?.prev?.metadata.resourceVersion).to.equal(a.rv);
    expect(w.errors).to.deep.equal([]);
    w.watcher.stop();
    expect(await w.watcher.done).to.equal(undefined);
  });

  it('starts without a revision with ADDED for the current state, then the changes', async () => {
    const a = await store.create(keyOf(root, 'a'), widget('a'));
    const b = await store.create(keyOf(root, 'b'), widget('b'));
    const w = collect(store, { prefix });
    await eventually(() => expect(w.events).to.have.length(2));
    // the snapshot events carry the snapshot revision; each object keeps its own
    const snapshotRv = w.events[0]!.rv;
    expect(BigInt(snapshotRv) >= BigInt(b.rv)).to.equal(true);
    expect(summary(w.events)).to.deep.equal([`ADDED a ${snapshotRv}`, `ADDED b ${snapshotRv}`]);
    expect(w.events.map(e => e.object.metadata.resourceVersion)).to.deep.equal([a.rv, b.rv]);
    const b2 = await store.update(keyOf(root, 'b'), widget('b', { v: 2 }), b.rv);
    await eventually(() => expect(w.events).to.have.length(3));
    expect(summary(w.events).at(-1)).to.equal(`MODIFIED b ${b2.rv}`);
    expect(w.events.at(-1)?.prev?.['spec']).to.deep.equal({});
    expect(w.events.at(-1)?.object['spec']).to.deep.equal({ v: 2 });
  });

  it('delivers DELETED with the last object at the delete revision and prev', async () => {
    const a = await store.create(keyOf(root, 'a'), widget('a', { v: 1 }));
    const w = collect(store, { prefix, fromRevision: a.rv });
    const del = await store.delete(keyOf(root, 'a'), a.rv);
    await eventually(() => expect(w.events).to.have.length(1));
    const ev = w.events[0]!;
    expect(ev.type).to.equal('DELETED');
    expect(ev.rv).to.equal(del.rv);
    expect(ev.object.metadata.resourceVersion).to.equal(del.rv);
    expect(ev.object['spec']).to.deep.equal({ v: 1 });
    expect(ev.prev?.metadata.resourceVersion).to.equal(a.rv);
  });

  it('serves 100 watchers of one resource from a single etcd watch', async () => {
    const before = store.watchStats();
    const watches = Array.from({ length: 100 }, (_, i) =>
      collect(store, {
        prefix: i % 2 === 0 ? prefix : `${prefix}ns1/`,
        resourcePrefix: prefix,
      }),
    );
    await eventually(() => expect(store.watchStats().watchers).to.equal(100));
    await store.create(keyOf(root, 'a', 'ns1'), widget('a', {}, 'ns1'));
    await store.create(keyOf(root, 'b', 'ns2'), widget('b', {}, 'ns2'));
    await eventually(() => {
      for (const [i, w] of watches.entries()) expect(w.events).to.have.length(i % 2 === 0 ? 2 : 1);
    });
    const stats = store.watchStats();
    expect(stats.etcdWatches - before.etcdWatches).to.equal(1);
    expect(stats.etcdWatchesOpened - before.etcdWatchesOpened).to.equal(1);
    for (const w of watches) w.watcher.stop();
    expect(store.watchStats().watchers).to.equal(0);
  });

  it('filters a namespace watch and shares the resource cache with cached lists', async () => {
    await store.create(keyOf(root, 'a', 'ns1'), widget('a', {}, 'ns1'));
    await store.create(keyOf(root, 'b', 'ns2'), widget('b', {}, 'ns2'));
    const all = await store.listCached(prefix);
    expect(all.items.map(s => s.object.metadata.name)).to.deep.equal(['a', 'b']);
    const ns2 = await store.listCached(`${prefix}ns2/`);
    expect(ns2.items.map(s => s.object.metadata.name)).to.deep.equal(['b']);
    expect(ns2.revision).to.match(/^\d+$/);
    const w = collect(store, { prefix: `${prefix}ns2/`, fromRevision: ns2.revision });
    await store.create(keyOf(root, 'c', 'ns1'), widget('c', {}, 'ns1'));
    const d = await store.create(keyOf(root, 'd', 'ns2'), widget('d', {}, 'ns2'));
    await eventually(() => expect(summary(w.events)).to.deep.equal([`ADDED d ${d.rv}`]));
    expect(store.watchStats().caches).to.equal(1);
  });

  it('resumes from a revision the cache has not reached when etcd has', async () => {
    const a = await store.create(keyOf(root, 'a'), widget('a'));
    const first = collect(store, { prefix, fromRevision: a.rv }); // cache now at a.rv
    await eventually(() => expect(store.watchStats().watchers).to.equal(1));
    // writes elsewhere move etcd on without any event for this prefix
    const other = uniquePrefix('elsewhere');
    const o = await store.create(keyOf(other, 'x'), widget('x'));
    const w = collect(store, { prefix, fromRevision: o.rv });
    await eventually(() => expect(store.watchStats().watchers).to.equal(2));
    const b = await store.create(keyOf(root, 'b'), widget('b'));
    await eventually(() => expect(summary(w.events)).to.deep.equal([`ADDED b ${b.rv}`]));
    expect(w.errors).to.deep.equal([]);
    first.watcher.stop();
  });

  it('fails a watch from a future revision with TooLargeResourceVersion', async () => {
    const future = (BigInt(await store.currentRevision()) + 1_000_000n).toString();
    const w = collect(store, { prefix, fromRevision: future });
    const err = await w.watcher.done;
    expect(err?.code).to.equal('TooLargeResourceVersion');
    expect(w.errors.map(e => e.code)).to.deep.equal(['TooLargeResourceVersion']);
  });

  it('ends a watch from a revision older than the event window with Compacted', async () => {
    const small = openStore(endpoint, { watchCache: { capacity: 3 } });
    try {
      let cur = await small.create(keyOf(root, 'a'), widget('a', { v: 0 }));
      const start = collect(small, { prefix }); // start the cache at this revision
      await eventually(() => expect(start.events).to.have.length(1));
      const revs = [cur.rv];
      for (let v = 1; v <= 5; v++) {
        cur = await small.update(keyOf(root, 'a'), widget('a', { v }), cur.rv);
        revs.push(cur.rv);
      }
      await eventually(() => expect(start.events).to.have.length(6));
      // the window holds the last 3 events: resuming after revs[2] works, after revs[1] does not
      const ok = collect(small, { prefix, fromRevision: revs[2]! });
      await eventually(() => expect(ok.events.map(e => e.rv)).to.deep.equal(revs.slice(3)));
      const old = collect(small, { prefix, fromRevision: revs[1]! });
      const err = await old.watcher.done;
      expect(err?.code).to.equal('Compacted');
      expect(old.events).to.deep.equal([]);
      expect(old.errors).to.have.length(1);
    } finally {
      await small.close();
    }
  });

  it('starts a new cache at the fromRevision of its first watch', async () => {
    const a = await store.create(keyOf(root, 'a'), widget('a'));
    const b = await store.create(keyOf(root, 'b'), widget('b'));
    const fresh = openStore(endpoint);
    try {
      const w = collect(fresh, { prefix, fromRevision: a.rv });
      await eventually(() => expect(summary(w.events)).to.deep.equal([`ADDED b ${b.rv}`]));
    } finally {
      await fresh.close();
    }
  });

  it('keeps delivering to other watchers when one consumer throws', async () => {
    const bad = store.watch({
      prefix,
      onEvent: () => {
        throw new Error('consumer bug');
      },
      onError: () => undefined,
    });
    const good = collect(store, { prefix });
    await eventually(() => expect(store.watchStats().watchers).to.equal(2));
    const a = await store.create(keyOf(root, 'a'), widget('a'));
    await eventually(() => expect(summary(good.events)).to.deep.equal([`ADDED a ${a.rv}`]));
    expect(await bad.done).to.equal(undefined);
  });

  it('ends every watcher normally when the store closes', async () => {
    const w = collect(store, { prefix });
    await eventually(() => expect(store.watchStats().etcdWatches).to.equal(1));
    await store.close();
    expect(await w.watcher.done).to.equal(undefined);
    expect(store.watchStats().etcdWatches).to.equal(0);
  });
});
