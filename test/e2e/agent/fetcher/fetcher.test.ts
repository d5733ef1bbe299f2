import { expect } from 'chai';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { systemClock } from '../../../../core/util/clock.ts';
import { FetcherCache } from '../../../../agent/fetcher/cache.ts';
import { FetchError } from '../../../../agent/fetcher/errors.ts';
import { Fetcher } from '../../../../agent/fetcher/fetcher.ts';
import { tarBuffer } from '../../../unit/agent/fetcher/tar-builder.ts';
import type { FileServer } from './file-server.ts';
import { startFileServer } from './file-server.ts';

async function failure(p: Promise<unknown>): Promise<FetchError> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(FetchError);
    return e as FetchError;
  }
  throw new Error('fetch succeeded');
}

describe('fetcher (loopback http and file://)', function () {
  this.timeout(20_000);
  let tmp = '';
  let server: FileServer;
  let cache: FetcherCache;
  let fetcher: Fetcher;
  let n = 0;
  const sandbox = async (): Promise<string> => {
    const dir = join(tmp, `sandbox-${++n}`);
    await mkdir(dir);
    return dir;
  };

  beforeEach(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'crl-fetch-'));
    server = await startFileServer();
    cache = await FetcherCache.open(join(tmp, 'cache'), 1000);
    fetcher = new Fetcher({ clock: systemClock, cache, stallTimeoutMs: 500 });
    server.files.set('/tool.sh', Buffer.from('#!/bin/sh\necho hi\n'));
    server.files.set('/blob-300', Buffer.alloc(300, 'a'));
    server.files.set('/blob-400', Buffer.alloc(400, 'b'));
    server.files.set('/blob-500', Buffer.alloc(500, 'c'));
    server.files.set(
      '/app.tar.gz',
      await tarBuffer(
        [
          { name: 'app/', type: 'directory' },
          { name: 'app/run', content: 'run', mode: 0o755 },
        ],
        true,
      ),
    );
    server.files.set('/evil.tar', await tarBuffer([{ name: '../../escaped', content: 'x' }]));
  });
  afterEach(async () => {
    await server.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('downloads a plain file over http, executable and renamed', async () => {
    const sb = await sandbox();
    const [r] = await fetcher.fetch({
      sandbox: sb,
      uris: [{ value: `${server.base}/tool.sh`, executable: true, outputFile: 'bin/start' }],
    });
    expect(r).to.deep.equal({
      uri: `${server.base}/tool.sh`,
      path: join(sb, 'bin', 'start'),
      cache: 'uncached',
      extracted: false,
    });
    expect((await stat(join(sb, 'bin', 'start'))).mode & 0o777).to.equal(0o755);
    expect(await readFile(join(sb, 'bin', 'start'), 'utf8')).to.contain('echo hi');
  });

  it('serves the second task from the cache: one GET for two fetches', async () => {
    const uri = { value: `${server.base}/blob-300`, cache: true };
    const [a] = await fetcher.fetch({ sandbox: await sandbox(), uris: [uri] });
    const sb = await sandbox();
    const [b] = await fetcher.fetch({ sandbox: sb, uris: [uri] });
    expect([a?.cache, b?.cache]).to.deep.equal(['miss', 'hit']);
    expect(server.count('GET', '/blob-300')).to.equal(1);
    expect((await readFile(join(sb, 'blob-300'))).length).to.equal(300);
  });

  it('coalesces concurrent fetches of one URI into one download', async () => {
    const uri = { value: `${server.base}/blob-400`, cache: true };
    const sbs = await Promise.all([sandbox(), sandbox(), sandbox()]);
    const results = await Promise.all(sbs.map(sb => fetcher.fetch({ sandbox: sb, uris: [uri] })));
    expect(server.count('GET', '/blob-400')).to.equal(1);
    expect(results.map(r => r[0]?.cache).sort()).to.deep.equal(['hit', 'hit', 'miss']);
    for (const sb of sbs) expect((await stat(join(sb, 'blob-400'))).size).to.equal(400);
  });

  it('evicts the least recently used entry when the size limit is reached', async () => {
    const sb = await sandbox();
    const get = (name: string) =>
      fetcher.fetch({ sandbox: sb, uris: [{ value: `${server.base}/${name}`, cache: true }] });
    await get('blob-300');
    await get('blob-400'); // 700 of 1000 bytes
    await get('blob-500'); // needs 500: evicts blob-300 (LRU), keeps blob-400
    expect(cache.stats()).to.include({ entries: 2, usedBytes: 900 });
    await get('blob-400');
    expect(server.count('GET', '/blob-400')).to.equal(1);
    await get('blob-300');
    expect(server.count('GET', '/blob-300')).to.equal(2);
  });

  it('falls back to a direct download when the size is unknown', async () => {
    server.files.set('/nolen', Buffer.from('streamed'));
    const sb = await sandbox();
    const [r] = await fetcher.fetch({
      sandbox: sb,
      uris: [{ value: `${server.base}/chunked/nolen`, cache: true }],
    });
    expect(r?.cache).to.equal('bypass');
    expect(await readFile(join(sb, 'nolen'), 'utf8')).to.equal('streamed');
    expect(cache.stats().entries).to.equal(0);
  });

  it('extracts a cached archive into each sandbox, keeping the archive only in the cache', async () => {
    const uri = { value: `${server.base}/app.tar.gz`, cache: true };
    for (let i = 0; i < 2; i++) {
      const sb = await sandbox();
      await fetcher.fetch({ sandbox: sb, uris: [uri] });
      expect(await readdir(sb)).to.deep.equal(['app']);
      expect((await stat(join(sb, 'app', 'run'))).mode & 0o777).to.equal(0o755);
    }
    expect(server.count('GET', '/app.tar.gz')).to.equal(1);
  });

  it('keeps an uncached archive beside its contents', async () => {
    const sb = await sandbox();
    await fetcher.fetch({ sandbox: sb, uris: [{ value: `${server.base}/app.tar.gz` }] });
    expect((await readdir(sb)).sort()).to.deep.equal(['app', 'app.tar.gz']);
  });

  it('refuses an archive entry that escapes the sandbox', async () => {
    const sb = await sandbox();
    const e = await failure(
      fetcher.fetch({ sandbox: sb, uris: [{ value: `${server.base}/evil.tar` }] }),
    );
    expect(e.code).to.equal('UNSAFE_ARCHIVE');
    expect(await readdir(tmp)).not.to.include('escaped');
  });

  it('fetches file:// sources, cached, fetching each URI in order', async () => {
    const src = join(tmp, 'local.txt');
    await writeFile(src, 'local data');
    await writeFile(join(tmp, 'data.csv.gz'), gzipSync('a,b\n'));
    const sb = await sandbox();
    const results = await fetcher.fetch({
      sandbox: sb,
      uris: [
        { value: `file://${src}`, cache: true },
        { value: join(tmp, 'data.csv.gz') },
        { value: `file://${src}`, cache: true, outputFile: 'copy.txt' },
      ],
    });
    expect(results.map(r => r.cache)).to.deep.equal(['miss', 'uncached', 'hit']);
    expect(await readFile(join(sb, 'local.txt'), 'utf8')).to.equal('local data');
    expect(await readFile(join(sb, 'copy.txt'), 'utf8')).to.equal('local data');
    expect(await readFile(join(sb, 'data.csv'), 'utf8')).to.equal('a,b\n');
  });

  it('fails clearly: missing file, HTTP error, bad scheme, unsafe output file, zip', async () => {
    const sb = await sandbox();
    const cases: [string, Record<string, unknown>][] = [
      ['SOURCE_FAILED', { value: join(tmp, 'nope') }],
      ['HTTP_STATUS', { value: `${server.base}/error` }],
      ['HTTP_STATUS', { value: `${server.base}/missing`, cache: true }],
      ['UNSUPPORTED_SCHEME', { value: 'ftp://127.0.0.1/x' }],
      ['INVALID_OUTPUT_FILE', { value: `${server.base}/tool.sh`, outputFile: '../../etc/x' }],
      ['INVALID_URI', { value: `${server.base}/` }],
      ['UNSUPPORTED_ARCHIVE', { value: `${server.base}/tool.sh`, outputFile: 'x.zip' }],
    ];
    for (const [code, uri] of cases) {
      const e = await failure(fetcher.fetch({ sandbox: sb, uris: [uri as { value: string }] }));
      expect(e.code, JSON.stringify(uri)).to.equal(code);
    }
    expect(cache.stats().entries).to.equal(0);
  });

  it('aborts a download that stalls', async () => {
    const sb = await sandbox();
    const e = await failure(
      fetcher.fetch({ sandbox: sb, uris: [{ value: `${server.base}/stall.bin` }] }),
    );
    expect(e.code).to.equal('STALLED');
  });
});
