import { expect } from 'chai';
import { freshEtcd, sharedEtcd, uniquePrefix } from '../../../helpers/etcd.ts';
import { StorageError } from '../../../../api/storage/types.ts';
import type { EtcdStore } from '../../../../api/storage/etcd-store.ts';
import { keyOf, openStore, resourcePrefixOf, widget } from './storage-helpers.ts';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof StorageError) return e.code;
    throw e;
  }
  return 'resolved';
}

const names = (items: readonly { object: { metadata: { name?: string } } }[]): string[] =>
  items.map(i => i.object.metadata.name ?? '');

describe('etcd store: paged lists', () => {
  let store: EtcdStore;
  let root: string;

  beforeEach(async () => {
    store = openStore((await sharedEtcd()).endpoint);
    root = uniquePrefix('list');
  });
  afterEach(() => store.close());

  it('lists everything under a prefix sorted by key at the header revision', async () => {
    for (const n of ['c', 'a', 'b']) await store.create(keyOf(root, n), widget(n));
    await store.create(`${root}/corral.dev/widgetsx/default/z`, widget('z')); // a sibling prefix
    const page = await store.list(resourcePrefixOf(root));
    expect(names(page.items)).to.deep.equal(['a', 'b', 'c']);
    expect(page.more).to.equal(false);
    expect(page.remaining).to.equal(0);
    expect(BigInt(page.revision) >= BigInt(page.items[2]?.rv ?? '0')).to.equal(true);
  });

  it('pages with limit and startAfterKey at a fixed revision, ignoring later writes', async () => {
    const prefix = resourcePrefixOf(root);
    for (const n of ['a', 'b', 'c', 'd', 'e']) await store.create(keyOf(root, n), widget(n));
    const first = await store.list(prefix, { limit: 2 });
    expect(names(first.items)).to.deep.equal(['a', 'b']);
    expect(first.more).to.equal(true);
    expect(first.remaining).to.equal(3);

    // writes after the first page must not show up in the following pages
    await store.create(keyOf(root, 'bb'), widget('bb'));
    const c = await store.get(keyOf(root, 'c'));
    await store.delete(keyOf(root, 'c'), c!.rv);
    await store.create(keyOf(root, 'f'), widget('f'));

    const last = first.items.at(-1)!.key;
    const second = await store.list(prefix, {
      limit: 2,
      startAfterKey: last,
      revision: first.revision,
    });
    expect(names(second.items)).to.deep.equal(['c', 'd']);
    expect(second.revision).to.equal(first.revision);
    expect(second.more).to.equal(true);
    expect(second.remaining).to.equal(1);
    const third = await store.list(prefix, {
      limit: 2,
      startAfterKey: second.items.at(-1)!.key,
      revision: first.revision,
    });
    expect(names(third.items)).to.deep.equal(['e']);
    expect(third.more).to.equal(false);

    const now = await store.list(prefix);
    expect(names(now.items)).to.deep.equal(['a', 'b', 'bb', 'd', 'e', 'f']);
  });

  it('lists a namespace prefix only', async () => {
    await store.create(keyOf(root, 'a', 'ns1'), widget('a', {}, 'ns1'));
    await store.create(keyOf(root, 'b', 'ns2'), widget('b', {}, 'ns2'));
    const page = await store.list(`${resourcePrefixOf(root)}ns2/`);
    expect(names(page.items)).to.deep.equal(['b']);
  });

  it('fails a list at a future revision with TooLargeResourceVersion after a short wait', async () => {
    const future = (BigInt(await store.currentRevision()) + 1_000_000n).toString();
    const t0 = Date.now();
    expect(await codeOf(store.list(resourcePrefixOf(root), { revision: future }))).to.equal(
      'TooLargeResourceVersion',
    );
    expect(Date.now() - t0).to.be.greaterThanOrEqual(1_000);
  });
});

describe('etcd store: compaction', () => {
  let store: EtcdStore;
  const root = '/compaction';

  before(async function () {
    this.timeout(30_000);
    store = openStore((await freshEtcd()).endpoint);
  });
  after(() => store.close());

  it('fails a list at a compacted revision with Compacted after compactNow', async () => {
    const prefix = resourcePrefixOf(root);
    const a = await store.create(keyOf(root, 'a'), widget('a'));
    await store.create(keyOf(root, 'b'), widget('b'));
    const old = await store.list(prefix, { limit: 1 });
    expect((await store.list(prefix, { revision: a.rv })).items).to.have.length(1);
    await store.update(keyOf(root, 'a'), widget('a', { v: 2 }), a.rv);
    await store.compactNow(await store.currentRevision());
    expect(await codeOf(store.list(prefix, { revision: a.rv }))).to.equal('Compacted');
    expect(
      await codeOf(
        store.list(prefix, { limit: 1, startAfterKey: old.items[0]!.key, revision: old.revision }),
      ),
    ).to.equal('Compacted');
    // compacting again to an older revision is a no-op, not an error
    await store.compactNow(a.rv);
    expect(names((await store.list(prefix)).items)).to.deep.equal(['a', 'b']);
  });

  it('compacts on a timer to the revision seen at the previous tick', async () => {
    const timed = openStore((await freshEtcd()).endpoint, { compactionIntervalMs: 150 });
    try {
      const first = await timed.create(keyOf(root, 'x'), widget('x'));
      await timed.update(keyOf(root, 'x'), widget('x', { v: 2 }), first.rv);
      const deadline = Date.now() + 10_000;
      let code = 'resolved';
      while (code === 'resolved' && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 100));
        code = await codeOf(timed.list(resourcePrefixOf(root), { revision: first.rv }));
      }
      expect(code).to.equal('Compacted');
      // the latest state is untouched
      expect((await timed.get(keyOf(root, 'x')))?.object['spec']).to.deep.equal({ v: 2 });
    } finally {
      await timed.close();
    }
  });
});
