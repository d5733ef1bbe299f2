// The watch cache keeps the objects this server writes without decoding their events again: a
// private copy noted before the write (api/storage/own-writes.ts). What it serves must be
// exactly what a decode of the stored bytes gives, whoever wrote them, and nothing a writer does
// with its objects afterwards may reach it.
import { expect } from 'chai';
import type { IKeyValue } from 'etcd3';
import { sharedEtcd, uniquePrefix } from '../../../helpers/etcd.ts';
import { decodeKv, encodeObject } from '../../../../api/storage/codec.ts';
import type { EtcdStore } from '../../../../api/storage/etcd-store.ts';
import type { Stored } from '../../../../api/storage/types.ts';
import type { KubeObject } from '../../../../core/types/meta.ts';
import { collect, eventually, keyOf, openStore, resourcePrefixOf } from './storage-helpers.ts';

// A widget with what JSON makes awkward: integer-like keys (JS orders them first), unicode, a
// lone surrogate, large and fractional numbers, nested lists, a member set to undefined.
function awkward(name: string): KubeObject {
  return {
    apiVersion: 'corral.dev/v1',
    kind: 'Widget',
    metadata: { name, namespace: 'default', labels: { z: '1', a: '2' }, uid: undefined },
    spec: {
      b: 1,
      '10': 'ten',
      '2': 'two',
      text: 'naïve 𝄞 \ud800 "quoted" \\ \n',
      numbers: [0, -1, 1.5, 1e21, 2 ** 53, -3.25e-7],
      nested: [{ x: [null, true, false, { y: {} }] }, []],
      gone: undefined,
    },
  } as unknown as KubeObject;
}

// decodedAt is what decoding the bytes the store writes for obj gives at revision rv.
function decodedAt(key: string, obj: KubeObject, rv: string): Stored {
  const kv = { key: Buffer.from(key), value: Buffer.from(encodeObject(obj)), mod_revision: rv };
  const stored = decodeKv(kv as unknown as IKeyValue);
  if (stored === undefined) throw new Error('undecodable');
  return stored;
}

// same compares the served objects with what decoding etcd's bytes gives, key order included.
function same(served: readonly Stored[], decoded: readonly Stored[]): void {
  expect(served.map(s => JSON.stringify(s))).to.deep.equal(decoded.map(s => JSON.stringify(s)));
  expect(served).to.deep.equal(decoded);
}

describe('etcd store: the watch cache keeps this server’s own writes without decoding them', () => {
  let endpoint: string;
  let store: EtcdStore;
  let root: string;
  let prefix: string;

  before(async () => {
    endpoint = (await sharedEtcd()).endpoint;
  });
  beforeEach(async () => {
    store = openStore(endpoint);
    root = uniquePrefix('own-writes');
    prefix = resourcePrefixOf(root);
    await store.listCached(prefix); // the cache is running before the writes
  });
  afterEach(() => store.close());

  it('serves watches and cached lists exactly what a decode of the stored bytes gives', async () => {
    const w = collect(store, { prefix });
    const written: [string, KubeObject][] = [
      [keyOf(root, 'a'), awkward('a')],
      [keyOf(root, 'b'), awkward('b')],
      [keyOf(root, 'a'), { ...awkward('a'), spec: { changed: ['x'] } }],
    ];
    const a = await store.create(written[0]![0], written[0]![1]);
    const b = await store.create(written[1]![0], written[1]![1]);
    const a2 = await store.update(written[2]![0], written[2]![1], a.rv);
    await eventually(() => expect(w.events).to.have.length(3));
    const decodes = [a, b, a2].map((s, i) => decodedAt(s.key, written[i]![1], s.rv));
    same(
      w.events.map(e => ({ key: e.key, object: e.object, rv: e.rv })),
      decodes,
    );
    same((await store.listCached(prefix)).items, (await store.list(prefix)).items);
    const stats = store.watchStats();
    expect(stats.ownWritesUsed).to.equal(3);
    expect(stats.ownWritesPending).to.equal(0);
  });

  it('keeps its copy when the writer changes the object it wrote or got back', async () => {
    const w = collect(store, { prefix });
    const obj = awkward('a');
    const stored = await store.create(keyOf(root, 'a'), obj);
    await eventually(() => expect(w.events).to.have.length(1));
    (obj['spec'] as { nested: unknown[] }).nested.push('writer');
    (stored.object['spec'] as { b: number }).b = 99;
    stored.object.metadata.labels = { changed: 'yes' };
    (stored.object['spec'] as { numbers: number[] }).numbers.length = 0;
    const [cached] = (await store.listCached(prefix)).items;
    same([{ ...cached!, object: w.events[0]!.object }], [cached!]);
    same([cached!], [decodedAt(stored.key, awkward('a'), stored.rv)]);
    same((await store.listCached(prefix)).items, (await store.list(prefix)).items);
    expect(store.watchStats().ownWritesUsed).to.equal(1);
  });

  it('keeps an object its writer hands over as it is, and still serves what a decode gives', async () => {
    const w = collect(store, { prefix });
    const plain = JSON.parse(JSON.stringify(awkward('a'))) as KubeObject;
    const a = await store.create(keyOf(root, 'a'), plain, { handOver: true });
    // not as is: an undefined member (JSON leaves it out) and a resourceVersion already set
    const b = await store.create(keyOf(root, 'b'), awkward('b'), { handOver: true });
    const withRv = { ...awkward('c'), metadata: { name: 'c', resourceVersion: '1' } };
    const c = await store.create(keyOf(root, 'c'), withRv, { handOver: true });
    await eventually(() => expect(w.events).to.have.length(3));
    expect(w.events[0]?.object).to.equal(plain);
    expect(a.object).to.equal(plain);
    expect(a.object.metadata.resourceVersion).to.equal(a.rv);
    expect(w.events[1]?.object).not.to.equal(b.object);
    same(
      w.events.map(e => ({ key: e.key, object: e.object, rv: e.rv })),
      [
        decodedAt(a.key, awkward('a'), a.rv),
        decodedAt(b.key, awkward('b'), b.rv),
        decodedAt(c.key, withRv, c.rv),
      ],
    );
    same((await store.listCached(prefix)).items, (await store.list(prefix)).items);
    expect(store.watchStats().ownWritesUsed).to.equal(3);
  });

  it('decodes what another server wrote, and forgets the note of a create that failed', async () => {
    const other = openStore(endpoint);
    try {
      const w = collect(store, { prefix });
      await other.create(keyOf(root, 'a'), awkward('a'));
      const failed = await store.create(keyOf(root, 'a'), awkward('b')).catch((e: unknown) => e);
      expect((failed as { code?: string }).code).to.equal('KeyExists');
      await eventually(() => expect(w.events).to.have.length(1));
      expect(w.events[0]?.object.metadata.name).to.equal('a');
      same((await store.listCached(prefix)).items, (await store.list(prefix)).items);
      const stats = store.watchStats();
      expect(stats.ownWritesUsed).to.equal(0);
      expect(stats.ownWritesPending).to.equal(0);
    } finally {
      await other.close();
    }
  });

  it('decodes the write of an object JSON would not give back as it is', async () => {
    const w = collect(store, { prefix });
    const odd = { ...awkward('a'), spec: { when: new Date(0), n: -0 } } as KubeObject;
    await store.create(keyOf(root, 'a'), odd);
    await eventually(() => expect(w.events).to.have.length(1));
    expect(w.events[0]?.object['spec']).to.deep.equal({ when: '1970-01-01T00:00:00.000Z', n: 0 });
    same((await store.listCached(prefix)).items, (await store.list(prefix)).items);
    expect(store.watchStats().ownWritesUsed).to.equal(0);
  });
});
