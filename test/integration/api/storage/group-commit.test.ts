import { expect } from 'chai';
import { sharedEtcd, uniquePrefix } from '../../../helpers/etcd.ts';
import type { EtcdStore } from '../../../../api/storage/etcd-store.ts';
import { StorageError, type Stored } from '../../../../api/storage/types.ts';
import {
  collect,
  eventually,
  keyOf,
  openStore,
  resourcePrefixOf,
  widget,
} from './storage-helpers.ts';

async function outcome<T>(p: Promise<T>): Promise<T | StorageError> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof StorageError) return e;
    throw e;
  }
}

describe('etcd store: group commit of concurrent writes (real etcd, nested transactions)', () => {
  let store: EtcdStore;
  let root: string;

  beforeEach(async () => {
    store = openStore((await sharedEtcd()).endpoint, {
      groupCommit: { maxInFlight: 1, maxOps: 16, maxBytes: 1024 * 1024 },
    });
    root = uniquePrefix('group');
  });
  afterEach(() => store.close());

  it('groups concurrent creates into shared transactions, each object stored once', async () => {
    const names = Array.from({ length: 100 }, (_, i) => `w-${i}`);
    const created = await Promise.all(names.map(n => store.create(keyOf(root, n), widget(n))));
    const stats = store.writeStats();
    expect(stats.batches).to.be.greaterThan(0);
    expect(stats.batchedWrites).to.be.greaterThan(stats.batches);
    // ops of one transaction share its revision: fewer revisions than writes proves grouping
    const revisions = new Set(created.map(c => c.rv));
    expect(revisions.size).to.be.lessThan(names.length);
    const listed = await store.list(resourcePrefixOf(root));
    expect(listed.items.map(i => i.object.metadata.name).sort()).to.deep.equal([...names].sort());
    for (const c of created) {
      const got = await store.get(c.key);
      expect(got?.rv).to.equal(c.rv);
    }
  });

  it("fits its default batches within etcd's default --max-txn-ops", async () => {
    const wide = openStore((await sharedEtcd()).endpoint);
    const names = Array.from({ length: 400 }, (_, i) => `wide-${i}`);
    await Promise.all(names.map(n => wide.create(keyOf(root, n), widget(n))));
    expect(wide.writeStats().batchedWrites).to.be.greaterThan(100);
    expect((await wide.list(resourcePrefixOf(root))).items).to.have.length(400);
  });

  it('fails only the writes whose compare failed, with the current object', async () => {
    const taken = await store.create(keyOf(root, 'taken'), widget('taken', { v: 1 }));
    const fresh = Array.from({ length: 20 }, (_, i) => `f-${i}`);
    const results = await Promise.all([
      ...fresh.map(n => outcome(store.create(keyOf(root, n), widget(n)))),
      outcome(store.create(keyOf(root, 'taken'), widget('taken', { v: 2 }))),
      outcome(store.update(keyOf(root, 'taken'), widget('taken', { v: 3 }), '1')),
    ]);
    const [exists, conflict] = results.slice(-2);
    expect(exists).to.be.instanceOf(StorageError);
    expect((exists as StorageError).code).to.equal('KeyExists');
    expect((exists as StorageError).current?.rv).to.equal(taken.rv);
    expect(conflict).to.be.instanceOf(StorageError);
    expect((conflict as StorageError).code).to.equal('Conflict');
    expect((conflict as StorageError).current?.object.spec).to.deep.equal({ v: 1 });
    for (const r of results.slice(0, -2)) expect(r).not.to.be.instanceOf(StorageError);
    expect((await store.get(keyOf(root, 'taken')))?.object.spec).to.deep.equal({ v: 1 });
  });

  it('lets exactly one of many racing updates of one key win, in arrival order', async () => {
    const key = keyOf(root, 'raced');
    const base = await store.create(key, widget('raced', { n: 0 }));
    // keep the queue busy so the racing updates wait together
    const noise = Array.from({ length: 30 }, (_, i) =>
      store.create(keyOf(root, `n-${i}`), widget(`n-${i}`)),
    );
    const racers = Array.from({ length: 10 }, (_, i) =>
      outcome(store.update(key, widget('raced', { n: i + 1 }), base.rv)),
    );
    const results = await Promise.all(racers);
    await Promise.all(noise);
    const winners = results.filter((r): r is Stored => !(r instanceof StorageError));
    expect(winners).to.have.length(1);
    // writes of one key leave in the order they came: the first racer wins
    expect(winners[0]?.object.spec).to.deep.equal({ n: 1 });
    for (const r of results) if (r instanceof StorageError) expect(r.code).to.equal('Conflict');
  });

  it('returns the deleted object of a grouped delete and reports a stale one as Conflict', async () => {
    const made = await Promise.all(
      ['d-1', 'd-2', 'd-3'].map(n => store.create(keyOf(root, n), widget(n, { n }))),
    );
    const [one, two, three] = made as [Stored, Stored, Stored];
    const results = await Promise.all([
      outcome(store.delete(one.key, one.rv)),
      outcome(store.delete(two.key, two.rv)),
      outcome(store.delete(three.key, '1')),
    ]);
    const [r1, r2, r3] = results;
    expect((r1 as { last: Stored }).last.object.spec).to.deep.equal({ n: 'd-1' });
    expect((r2 as { last: Stored }).last.object.spec).to.deep.equal({ n: 'd-2' });
    expect((r3 as StorageError).code).to.equal('Conflict');
    expect(await store.get(three.key)).to.not.equal(undefined);
  });

  it('delivers every event of a shared revision to a watch, and resumes after it', async () => {
    const start = await store.currentRevision();
    const w = collect(store, { prefix: resourcePrefixOf(root), fromRevision: start });
    const names = Array.from({ length: 40 }, (_, i) => `e-${i}`);
    const created = await Promise.all(names.map(n => store.create(keyOf(root, n), widget(n))));
    await eventually(() => expect(w.events).to.have.length(names.length));
    expect(w.events.map(e => e.object.metadata.name).sort()).to.deep.equal([...names].sort());
    w.watcher.stop();
    // resuming from a revision several objects share delivers none of them again
    const shared = created.map(c => c.rv).find((rv, i, all) => all.indexOf(rv) !== i);
    expect(shared, 'some creates shared a revision').to.not.equal(undefined);
    const after = created.filter(c => BigInt(c.rv) > BigInt(shared ?? '0')).length;
    const resumed = collect(store, { prefix: resourcePrefixOf(root), fromRevision: shared ?? '0' });
    await eventually(() => expect(resumed.events).to.have.length(after));
    resumed.watcher.stop();
  });
});
