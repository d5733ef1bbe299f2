// Client CPU per request of core/client's three transports: undici's HTTP/1.1 client driven
// directly (undici-transport.ts, the default), node:https (the one before it, kept as this
// baseline), and client-node's undici fetch (still used for proxied clusters). Each runs in a worker thread, so the figure
// is the client's own work (JSON, headers, TLS, event loop) and not the API server's, which runs
// on the main thread. The load is a hollow fleet's: read a Lease, write it back renewed, over
// `lanes` Leases at once. It also counts the connections each opened (a transport that reconnects
// pays a TLS handshake per request). Run: node bench/client-transport.ts
import { subscribe } from 'node:diagnostics_channel';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { KubeConfig } from '@kubernetes/client-node';
import { Client, builtinKinds } from '../core/client/index.ts';
import type { Lease, Transport } from '../core/client/index.ts';
import { fetchTransport } from '../core/client/fetch-transport.ts';
import { httpsTransport } from '../core/client/https-transport.ts';
import type { KubeConfigTransportOptions } from '../core/client/transport.ts';
import { undiciTransport } from '../core/client/undici-transport.ts';
import { microTime } from '../core/util/micro-time.ts';
import { inFlight } from './load.ts';

const TRANSPORTS = {
  fetch: fetchTransport,
  https: httpsTransport,
  undici: undiciTransport,
} as const satisfies Record<string, (kc: KubeConfig, o: KubeConfigTransportOptions) => Transport>;

/** TransportName names a transport measured. */
type TransportName = keyof typeof TRANSPORTS;

/** TransportJob is one measurement in a worker. */
interface TransportJob {
  readonly transport: TransportName;
  readonly kubeconfigPath: string;
  readonly namespace: string;
  /** rounds of GET + PUT per lane; the first fifth warms up (JIT, connections) untimed. */
  readonly rounds: number;
  readonly lanes: number;
}

/** TransportResult is the timed part of one job. */
interface TransportResult {
  readonly requests: number;
  readonly seconds: number;
  readonly cpuMs: number;
  /** connections opened in all, warm-up included, and while timed. */
  readonly connections: number;
  readonly timedConnections: number;
}

const ROUNDS = Number(process.env['CORRAL_BENCH_ROUNDS'] ?? 1500);

async function measure(job: TransportJob): Promise<TransportResult> {
  const kc = new KubeConfig();
  kc.loadFromFile(job.kubeconfigPath);
  const opts = { userAgent: 'corral-bench' };
  const transport = TRANSPORTS[job.transport](kc, opts);
  // the worker's only client sockets are the transport's
  let connections = 0;
  subscribe('net.client.socket', () => connections++);
  const client = new Client(transport);
  const leases = client.for(builtinKinds.leases);
  const name = (lane: number): string => `${job.transport}-${lane}`;
  try {
    for (let l = 0; l < job.lanes; l++) {
      await leases.create({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: name(l), namespace: job.namespace },
        spec: { holderIdentity: name(l), leaseDurationSeconds: 40 },
      });
    }
    const renew = async (lane: number, i: number): Promise<void> => {
      const key = { namespace: job.namespace, name: name(lane) };
      const lease: Lease = await leases.get(key);
      await leases.update({
        ...lease,
        spec: { ...lease.spec, renewTime: microTime(1_700_000_000_000 + i) },
      });
    };
    const rounds = async (n: number): Promise<void> => {
      await inFlight(job.lanes, job.lanes, async lane => {
        for (let i = 0; i < n; i++) await renew(lane, i);
      });
    };
    const warm = Math.floor(job.rounds / 5);
    await rounds(warm);
    const opened = connections;
    const cpu = process.threadCpuUsage();
    const start = process.hrtime.bigint();
    await rounds(job.rounds - warm);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const used = process.threadCpuUsage(cpu);
    const requests = 2 * job.lanes * (job.rounds - warm);
    return {
      requests,
      seconds,
      cpuMs: (used.user + used.system) / 1000,
      connections,
      timedConnections: connections - opened,
    };
  } finally {
    await client.close();
  }
}

function inWorker(job: TransportJob): Promise<TransportResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: job });
    worker.once('message', (m: TransportResult) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/** benchClientTransport prints client CPU per request of each transport, one and 16 lanes. */
export async function benchClientTransport(): Promise<void> {
  const { startTestApiServer } = await import('../test/helpers/api-server.ts');
  const api = await startTestApiServer();
  const client = Client.fromKubeConfig(api.kubeConfig);
  try {
    const namespace = 'bench-transport';
    await client
      .for(builtinKinds.namespaces)
      .create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    for (const lanes of [1, 16]) {
      for (const transport of Object.keys(TRANSPORTS) as TransportName[]) {
        const rounds = Math.max(10, Math.floor(ROUNDS / lanes));
        const r = await inWorker({
          transport,
          kubeconfigPath: api.kubeconfigPath,
          namespace,
          rounds,
          lanes,
        });
        const us = ((1000 * r.cpuMs) / r.requests).toFixed(0);
        const perSecond = Math.round(r.requests / r.seconds).toLocaleString('en-US');
        process.stdout.write(
          `${transport.padEnd(6)} ${String(lanes).padStart(2)} in flight: ${us} us client cpu/request` +
            ` (${r.requests} GET+PUT, ${perSecond} requests/s wall;` +
            ` ${r.connections} connections, ${r.timedConnections} while timed)\n`,
        );
        // the next job's leases are fresh; drop this one's so names cannot collide
        for (let l = 0; l < lanes; l++)
          await client.for(builtinKinds.leases).delete({ namespace, name: `${transport}-${l}` });
      }
    }
  } finally {
    await client.close();
    await api.stop();
  }
}

if (!isMainThread && parentPort !== null) {
  parentPort.postMessage(await measure(workerData as TransportJob));
} else if (isMainThread && process.argv[1] === new URL(import.meta.url).pathname) {
  const { stopFixtures } = await import('../test/helpers/fixtures.ts');
  try {
    await benchClientTransport();
  } finally {
    await stopFixtures();
  }
}
