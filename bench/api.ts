// API benchmark: creates/s through the API server (64 in flight, https + token, as a client
// sees it) beside raw etcd puts/s (64 in flight, same value size) in the same run; then watch
// events/s delivered to 100 HTTP watchers beside one raw etcd watcher, and how many etcd
// watches the server used for them.
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { Etcd3 } from 'etcd3';
import { freshEtcd } from '../test/helpers/etcd.ts';
import { startTestApiServer } from '../test/helpers/api-server.ts';
import { inFlight, rate } from './load.ts';
import { widgetBody } from './load-worker.ts';
import { runLoad } from './run-worker.ts';

const CREATES = 6000;
const CONCURRENCY = 64;
const WATCHERS = 100;
const WATCH_EVENTS = 2000;

function body(i: number): string {
  return widgetBody(`w-${i}`, { bench: 'yes' });
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
  const ca = readFileSync(`${api.dir}/pki/ca.crt`, 'utf8');
  const path = '/apis/example.com/v1/namespaces/default/widgets';
  const apiJob = {
    kind: 'api-create' as const,
    url: api.url,
    path,
    token: api.token,
    ca,
    concurrency: CONCURRENCY,
    labels: { bench: 'yes' },
  };
  const rawJob = { kind: 'etcd-put' as const, endpoint: etcd.endpoint, concurrency: CONCURRENCY };
  // warm up both paths so JIT and connection set-up are not measured
  await runLoad({ ...apiJob, total: 500, prefix: 'warm-' });
  await runLoad({ ...rawJob, total: 500, prefix: '/bench-warm/' });
  const raw = await runLoad({ ...rawJob, total: CREATES, prefix: '/bench-raw/' });
  // The server runs on this thread (the load on a worker), so this thread's CPU time is the
  // server's; per create, it moves much less with other load on the machine than the rates do.
  const cpuBefore = process.threadCpuUsage();
  const created = await runLoad({ ...apiJob, total: CREATES, prefix: 'w-' });
  const cpu = process.threadCpuUsage(cpuBefore);
  const rawRate = CREATES / raw.seconds;
  const apiRate = CREATES / created.seconds;
  const cpuPerCreate = (cpu.user + cpu.system) / CREATES;
  process.stdout.write(
    `api creates (64 in flight, https):   ${rate(CREATES, created.seconds)}${created.failures > 0 ? ` (${created.failures} failed)` : ''}\n` +
      `raw etcd puts (64 in flight):        ${rate(CREATES, raw.seconds)}\n` +
      `ratio: ${((100 * apiRate) / rawRate).toFixed(0)}% of raw etcd (target >= 60%)\n` +
      `server event-loop CPU per create:    ${cpuPerCreate.toFixed(0)} µs (${((100 * (cpu.user + cpu.system)) / 1e6 / created.seconds).toFixed(0)}% of one core)\n`,
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
  await runLoad({ ...apiJob, total: WATCH_EVENTS, prefix: 'watched-', labels: { bench: 'watch' } });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([all, new Promise(r => (timer = setTimeout(r, 120_000)))]);
  clearTimeout(timer);
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
