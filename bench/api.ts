// API benchmark: creates/s through the API server (64 in flight, https + token, as a client
// sees it) beside raw etcd puts/s (64 in flight, same value size) in the same run; then watch
// events/s delivered to 100 HTTP watchers beside one raw etcd watcher, and how many etcd
// watches the server used for them.
import { Agent, request } from 'node:https';
import { Etcd3 } from 'etcd3';
import { freshEtcd } from '../test/helpers/etcd.ts';
import { startTestApiServer } from '../test/helpers/api-server.ts';
import { inFlight, rate } from './load.ts';

const CREATES = 6000;
const CONCURRENCY = 64;
const WATCHERS = 100;
const WATCH_EVENTS = 2000;

function body(i: number): string {
  return JSON.stringify({
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: `w-${i}`, labels: { bench: 'yes' } },
    spec: { size: i % 100, color: 'red', tags: ['a', 'b', 'c'], config: { note: 'x'.repeat(200) } },
  });
}

interface Client {
  post(path: string, payload: string): Promise<number>;
}

function httpsClient(url: string, token: string, ca: string): Client {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY, ca });
  const u = new URL(url);
  return {
    post: (path, payload) =>
      new Promise((resolve, reject) => {
        const req = request(
          {
            host: u.hostname,
            port: u.port,
            path,
            method: 'POST',
            agent,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          },
          res => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(payload);
      }),
  };
}

async function rawPuts(endpoint: string): Promise<number> {
  const etcd = new Etcd3({ hosts: endpoint });
  try {
    const seconds = await inFlight(CREATES, CONCURRENCY, async i => {
      await etcd.put(`/bench-raw/${i}`).value(body(i));
    });
    return CREATES / seconds;
  } finally {
    etcd.close();
  }
}

async function rawWatch(endpoint: string): Promise<number> {
  const etcd = new Etcd3({ hosts: endpoint });
  try {
    const watcher = await etcd.watch().prefix('/bench-watch/').create();
    let seen = 0;
    const done = new Promise<void>(resolve =>
      watcher.on('put', () => {
        if (++seen === WATCH_EVENTS) resolve();
      }),
    );
    const start = process.hrtime.bigint();
    await inFlight(WATCH_EVENTS, CONCURRENCY, async i => {
      await etcd.put(`/bench-watch/${i}`).value(body(i));
    });
    await done;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    await watcher.cancel();
    return WATCH_EVENTS / seconds;
  } finally {
    etcd.close();
  }
}

function openWatch(url: string, token: string, ca: string, onEvent: () => void): () => void {
  const u = new URL(url);
  const req = request({
    host: u.hostname,
    port: u.port,
    path: '/apis/example.com/v1/namespaces/default/widgets?watch=true&resourceVersion=0&labelSelector=bench%3Dwatch',
    headers: { authorization: `Bearer ${token}` },
    ca,
  });
  req.on('response', res => {
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        if (buf.slice(0, nl).trim() !== '') onEvent();
        buf = buf.slice(nl + 1);
        nl = buf.indexOf('\n');
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
  return () => req.destroy();
}

/** benchApi runs the API benchmark and prints its figures with their baselines. */
export async function benchApi(): Promise<void> {
  const etcd = await freshEtcd();
  const api = await startTestApiServer({
    crdDir: 'test/fixtures/crds',
    etcdEndpoint: etcd.endpoint,
  });
  const ca = (await import('node:fs')).readFileSync(`${api.dir}/pki/ca.crt`, 'utf8');
  const client = httpsClient(api.url, api.token, ca);
  const path = '/apis/example.com/v1/namespaces/default/widgets';
  // warm up both paths so JIT and connection set-up are not measured
  await inFlight(300, CONCURRENCY, async i => {
    await client.post(path, body(1_000_000 + i));
  });
  const raw = await rawPuts(etcd.endpoint);
  let failures = 0;
  const seconds = await inFlight(CREATES, CONCURRENCY, async i => {
    if ((await client.post(path, body(i))) !== 201) failures += 1;
  });
  const apiRate = CREATES / seconds;
  process.stdout.write(
    `api creates (64 in flight, https):   ${rate(CREATES, seconds)}${failures > 0 ? ` (${failures} failed)` : ''}\n` +
      `raw etcd puts (64 in flight):        ${Math.round(raw).toLocaleString('en-US')}/s\n` +
      `ratio: ${((100 * apiRate) / raw).toFixed(0)}% of raw etcd (target >= 60%)\n`,
  );

  const rawWatchRate = await rawWatch(etcd.endpoint);
  const before = api.server.store.watchStats();
  let delivered = 0;
  let resolveAll!: () => void;
  const all = new Promise<void>(r => (resolveAll = r));
  const closers = Array.from({ length: WATCHERS }, () =>
    openWatch(api.url, api.token, ca, () => {
      if (++delivered === WATCHERS * WATCH_EVENTS) resolveAll();
    }),
  );
  await new Promise(r => setTimeout(r, 1000));
  const start = process.hrtime.bigint();
  await inFlight(WATCH_EVENTS, CONCURRENCY, async i => {
    const b = body(2_000_000 + i).replace('"bench":"yes"', '"bench":"watch"');
    await client.post(path, b);
  });
  await Promise.race([all, new Promise(r => setTimeout(r, 120_000))]);
  const wsec = Number(process.hrtime.bigint() - start) / 1e9;
  const after = api.server.store.watchStats();
  for (const close of closers) close();
  process.stdout.write(
    `watch fan-out: ${WATCHERS} watchers received ${delivered.toLocaleString('en-US')} of ${(WATCHERS * WATCH_EVENTS).toLocaleString('en-US')} events: ${rate(delivered, wsec)} aggregate\n` +
      `raw etcd watcher (1 watcher):        ${Math.round(rawWatchRate).toLocaleString('en-US')} events/s\n` +
      `etcd watches on the resource for ${WATCHERS} API watchers: ${after.etcdWatches - before.etcdWatches + (before.etcdWatches > 0 ? 1 : 0)} (target 1; total open: ${after.etcdWatches})\n`,
  );
  await api.stop();
}
