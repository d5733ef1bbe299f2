import { expect } from 'chai';
import { sharedEtcd, uniquePrefix } from '../../../helpers/etcd.ts';
import { freePort } from '../../../../core/util/free-port.ts';
import { StorageError } from '../../../../api/storage/types.ts';
import type { EtcdStore } from '../../../../api/storage/etcd-store.ts';
import { keyOf, openStore, widget } from './storage-helpers.ts';

async function rejection(p: Promise<unknown>): Promise<StorageError> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(StorageError);
    return e as StorageError;
  }
  throw new Error('expected a rejection');
}

describe('etcd store: CAS writes and reads', () => {
  let store: EtcdStore;
  let root: string;

  beforeEach(async () => {
    store = openStore((await sharedEtcd()).endpoint);
    root = uniquePrefix('crud');
  });
  afterEach(() => store.close());

  it('creates an object and reads it back with resourceVersion = mod_revision', async () => {
    const key = keyOf(root, 'a');
    const input = widget('a', { size: 1 });
    input.metadata.resourceVersion = '999'; // never stored
    const created = await store.create(key, input);
    expect(created.rv).to.match(/^\d+$/);
    expect(created.object.metadata.resourceVersion).to.equal(created.rv);
    expect(input.metadata.resourceVersion).to.equal('999', 'the caller object is not mutated');
    const got = await store.get(key);
    expect(got?.rv).to.equal(created.rv);
    expect(got?.object).to.deep.equal({
      ...widget('a', { size: 1 }),
      metadata: { name: 'a', namespace: 'default', resourceVersion: created.rv },
    });
  });

  it('returns undefined for a missing key', async () => {
    expect(await store.get(keyOf(root, 'nope'))).to.equal(undefined);
  });

  it('refuses to create an existing key with KeyExists and the current object', async () => {
    const key = keyOf(root, 'a');
    const first = await store.create(key, widget('a', { v: 1 }));
    const err = await rejection(store.create(key, widget('a', { v: 2 })));
    expect(err.code).to.equal('KeyExists');
    expect(err.current?.rv).to.equal(first.rv);
    expect(err.current?.object['spec']).to.deep.equal({ v: 1 });
  });

  it('updates at the expected revision and returns the new revision', async () => {
    const key = keyOf(root, 'a');
    const first = await store.create(key, widget('a', { v: 1 }));
    const second = await store.update(key, widget('a', { v: 2 }), first.rv);
    expect(BigInt(second.rv) > BigInt(first.rv)).to.equal(true);
    expect(second.object.metadata.resourceVersion).to.equal(second.rv);
    expect((await store.get(key))?.object['spec']).to.deep.equal({ v: 2 });
  });

  it('fails a stale update with Conflict carrying the current object', async () => {
    const key = keyOf(root, 'a');
    const first = await store.create(key, widget('a', { v: 1 }));
    const second = await store.update(key, widget('a', { v: 2 }), first.rv);
    const err = await rejection(store.update(key, widget('a', { v: 3 }), first.rv));
    expect(err.code).to.equal('Conflict');
    expect(err.current?.rv).to.equal(second.rv);
    expect(err.current?.object['spec']).to.deep.equal({ v: 2 });
  });

  it('fails an update of a missing key with NotFound', async () => {
    const err = await rejection(store.update(keyOf(root, 'gone'), widget('gone'), '5'));
    expect(err.code).to.equal('NotFound');
    expect(err.current).to.equal(undefined);
  });

  it('deletes at the expected revision and returns the delete revision and the last object', async () => {
    const key = keyOf(root, 'a');
    const first = await store.create(key, widget('a', { v: 1 }));
    const res = await store.delete(key, first.rv);
    expect(BigInt(res.rv) > BigInt(first.rv)).to.equal(true);
    expect(res.last.rv).to.equal(first.rv);
    expect(res.last.object['spec']).to.deep.equal({ v: 1 });
    expect(await store.get(key)).to.equal(undefined);
  });

  it('fails a stale delete with Conflict and a delete of a missing key with NotFound', async () => {
    const key = keyOf(root, 'a');
    const first = await store.create(key, widget('a', { v: 1 }));
    const second = await store.update(key, widget('a', { v: 2 }), first.rv);
    const stale = await rejection(store.delete(key, first.rv));
    expect(stale.code).to.equal('Conflict');
    expect(stale.current?.rv).to.equal(second.rv);
    await store.delete(key, second.rv);
    const missing = await rejection(store.delete(key, second.rv));
    expect(missing.code).to.equal('NotFound');
  });

  it('rejects a malformed or zero precondition before touching etcd', async () => {
    try {
      await store.update(keyOf(root, 'a'), widget('a'), '0');
      expect.fail('expected a RangeError');
    } catch (e) {
      expect(e).to.be.instanceOf(RangeError);
    }
  });

  it('reports a revision that keeps increasing with writes', async () => {
    const before = BigInt(await store.currentRevision());
    const created = await store.create(keyOf(root, 'a'), widget('a'));
    expect(BigInt(created.rv) > before).to.equal(true);
    expect(BigInt(await store.currentRevision()) >= BigInt(created.rv)).to.equal(true);
  });
});

describe('etcd store: unreachable etcd', () => {
  it('maps connection refused to Unavailable', async () => {
    const port = await freePort();
    const store = openStore(`http://127.0.0.1:${port}`, { requestTimeoutMs: 2_000 });
    try {
      const err = await rejection(store.get('/nowhere/x'));
      expect(err.code).to.equal('Unavailable');
      expect(err.cause).to.be.instanceOf(Error);
    } finally {
      await store.close();
    }
  });
});
