import { expect } from 'chai';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FetcherCache } from '../../../../agent/fetcher/cache.ts';

describe('FetcherCache', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crl-cache-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** writer returns a download function that writes `bytes` bytes and counts its calls. */
  function writer(bytes: number) {
    const calls = { n: 0 };
    const fn = async (path: string): Promise<number> => {
      calls.n++;
      await writeFile(path, Buffer.alloc(bytes, 'x'));
      return bytes;
    };
    return { fn, calls };
  }

  it('empties its directory when opened (Mesos clears the cache at agent start)', async () => {
    await writeFile(join(dir, 'stale'), 'x');
    await FetcherCache.open(dir, 100);
    expect(await readdir(dir)).to.deep.equal([]);
  });

  it('downloads once and serves later acquires from the cache', async () => {
    const cache = await FetcherCache.open(dir, 100);
    const w = writer(10);
    const a = await cache.acquire('k', 10, w.fn);
    await a?.release();
    const b = await cache.acquire('k', 10, w.fn);
    expect(w.calls.n).to.equal(1);
    expect([a?.downloaded, b?.downloaded]).to.deep.equal([true, false]);
    expect(await readFile(b!.path, 'utf8')).to.equal('x'.repeat(10));
    await b?.release();
  });

  it('coalesces concurrent acquires of one key into one download', async () => {
    const cache = await FetcherCache.open(dir, 100);
    let finish: () => void = () => undefined;
    let calls = 0;
    const slow = async (path: string): Promise<number> => {
      calls++;
      await new Promise<void>(r => (finish = r));
      await writeFile(path, 'abc');
      return 3;
    };
    const pending = [
      cache.acquire('k', 3, slow),
      cache.acquire('k', 3, slow),
      cache.acquire('k', 3, slow),
    ];
    await new Promise(r => setImmediate(r));
    expect(cache.stats()).to.deep.equal({ entries: 1, usedBytes: 3, referenced: 1 });
    finish();
    const leases = await Promise.all(pending);
    expect(calls).to.equal(1);
    expect(leases.map(l => l?.downloaded)).to.deep.equal([true, false, false]);
    for (const l of leases) await l?.release();
    expect(cache.stats().referenced).to.equal(0);
  });

  it('keys entries by user too', async () => {
    const cache = await FetcherCache.open(dir, 100);
    const w = writer(1);
    await (await cache.acquire(FetcherCache.cacheKey('alice', 'u'), 1, w.fn))?.release();
    await (await cache.acquire(FetcherCache.cacheKey(undefined, 'u'), 1, w.fn))?.release();
    expect(w.calls.n).to.equal(2);
  });

  it('evicts least recently used idle entries to make room, never one in use', async () => {
    const cache = await FetcherCache.open(dir, 30);
    const w = writer(10);
    const held = await cache.acquire('a', 10, w.fn); // in use throughout
    await (await cache.acquire('b', 10, w.fn))?.release();
    await (await cache.acquire('c', 10, w.fn))?.release();
    await (await cache.acquire('b', 10, w.fn))?.release(); // b is now more recent than c
    await (await cache.acquire('d', 10, w.fn))?.release();
    expect(['a', 'b', 'c', 'd'].map(k => cache.has(k))).to.deep.equal([true, true, false, true]);
    expect(cache.stats().usedBytes).to.equal(30);
    await held?.release();
  });

  it('answers "do not cache" when the size is unknown, too big, or cannot be freed', async () => {
    const cache = await FetcherCache.open(dir, 20);
    const w = writer(10);
    expect(await cache.acquire('x', undefined, w.fn)).to.equal(undefined);
    expect(await cache.acquire('x', 21, w.fn)).to.equal(undefined);
    const a = await cache.acquire('a', 10, w.fn);
    const b = await cache.acquire('b', 10, w.fn);
    expect(await cache.acquire('c', 10, w.fn)).to.equal(undefined); // both entries in use
    expect(w.calls.n).to.equal(2);
    expect(cache.has('a') && cache.has('b')).to.equal(true);
    await a?.release();
    await b?.release();
  });

  it('fails every waiter of a failed download and keeps no entry', async () => {
    const cache = await FetcherCache.open(dir, 100);
    const boom = async (path: string): Promise<number> => {
      await writeFile(path, 'partial');
      throw new Error('HTTP 500');
    };
    const results = await Promise.allSettled([
      cache.acquire('k', 5, boom),
      cache.acquire('k', 5, boom),
    ]);
    expect(results.map(r => r.status)).to.deep.equal(['rejected', 'rejected']);
    expect(cache.stats()).to.deep.equal({ entries: 0, usedBytes: 0, referenced: 0 });
    expect(await readdir(dir)).to.deep.equal([]);
  });

  it('corrects its bookkeeping for a smaller file and drops a larger one after use', async () => {
    const cache = await FetcherCache.open(dir, 100);
    await (await cache.acquire('small', 50, writer(20).fn))?.release();
    expect(cache.stats().usedBytes).to.equal(20);
    const big = await cache.acquire('big', 10, writer(40).fn);
    expect(cache.has('big')).to.equal(true);
    await big?.release();
    expect(cache.has('big')).to.equal(false);
    expect(cache.stats().usedBytes).to.equal(20);
  });
});
