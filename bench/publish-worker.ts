// Offer publishing, run in a worker thread so the client's work (building the cycle, JSON, TLS)
// has its own event loop, as the controllers process would, and not the API server's. Two jobs
// over the same objects: one allocation cycle's Offers published through the API with the
// allocator's own publisher and OfferApi, and the same Offers written raw to etcd in batches.
import { parentPort, workerData } from 'node:worker_threads';
import { KubeConfig } from '@kubernetes/client-node';
import { Etcd3 } from 'etcd3';
import { Client, kubeConfigTransport } from '../core/client/index.ts';
import { parseResourceText } from '../core/resources/index.ts';
import type { Offer } from '../core/types/index.ts';
import { AllocatorApiAdapter } from '../controllers/allocator/api-adapter.ts';
import { offerObject } from '../controllers/allocator/api-convert.ts';
import { ApiPublisher } from '../controllers/allocator/api-publisher.ts';
import { clientOfferApi } from '../controllers/allocator/client-offer-api.ts';
import { makeConfig } from '../controllers/allocator/config.ts';
import { runCycle } from '../controllers/allocator/cycle.ts';
import type { OfferDecision } from '../controllers/allocator/decisions.ts';
import { AllocatorModel } from '../controllers/allocator/model/model.ts';
import { seededRandom } from '../controllers/allocator/random.ts';
import { fetchTransport } from '../core/client/fetch-transport.ts';

/** PublishJob is one measurement; the worker answers with a PublishResult. */
export type PublishJob =
  | {
      kind: 'api';
      kubeconfigPath: string;
      agents: number;
      frameworks: number;
      concurrency: number;
      /** cycles: the first ones warm up (JIT, connections); only the last is timed. */
      cycles: number;
      /**
       * transport: client-node's undici fetch (core/client's earlier default, fetch-transport.ts)
       * or core/client's node:https default, with at most `concurrency` connections.
       */
      transport: 'client-node' | 'https';
    }
  | { kind: 'etcd'; endpoint: string; agents: number; frameworks: number; batch: number };

/** PublishResult is the timed part: how many objects, how long, how many failed. */
export interface PublishResult {
  readonly objects: number;
  readonly seconds: number;
  readonly failures: number;
  readonly bytes: number;
  /** cpuMs is this worker thread's CPU time over the timed part (the client's cost). */
  readonly cpuMs: number;
}

/** namespaceOf is the namespace of framework i (one framework per namespace, as Corral has it). */
export const namespaceOf = (i: number): string => `bench-fw-${i}`;

const CAPS = ['MULTI_ROLE', 'HIERARCHICAL_ROLE', 'RESERVATION_REFINEMENT'] as const;

/** cluster builds the model: agents of cpus:24;mem:4096;disk:4096;ports, one role per framework. */
function cluster(agents: number, frameworks: number, epoch: number): AllocatorModel {
  const model = new AllocatorModel({ offerId: AllocatorApiAdapter.offerIds(epoch) });
  for (let f = 0; f < frameworks; f++)
    model.upsertFramework({
      id: `${namespaceOf(f)}/fw`,
      roles: [`role-${f}`],
      capabilities: ['MULTI_ROLE'],
    });
  const total = parseResourceText('cpus:24;mem:4096;disk:4096;ports:[31000-32000]');
  for (let a = 0; a < agents; a++)
    model.upsertAgent({
      id: `agent-${a}`,
      hostname: `agent-${a}.bench`,
      total,
      capabilities: CAPS,
    });
  return model;
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.threadCpuUsage(start);
  return (used.user + used.system) / 1000;
}

const facts = (agent: string) => ({ hostname: `${agent}.bench`, attributes: { rack: 'r1' } });

/** cycle runs one allocation cycle and returns its decisions (every agent, whole). */
function cycle(model: AllocatorModel, now: number): readonly OfferDecision[] {
  return runCycle(model, { now, config: makeConfig(), random: seededRandom(7) }).decisions;
}

/** TIMED_CYCLE is what the worker says before its timed cycle; the parent answers GO_TIMED. */
export const TIMED_CYCLE = 'timed-cycle';
/** GO_TIMED lets the worker start the timed cycle (the parent has noted its own CPU time). */
export const GO_TIMED = 'go';

// timedCycleStarts tells the parent (which runs the API server) that the timed cycle begins and
// waits for its go, so the parent can measure its own CPU time over exactly that cycle.
function timedCycleStarts(): Promise<void> {
  const port = parentPort;
  if (port === null) return Promise.resolve();
  return new Promise(resolve => {
    port.once('message', () => resolve());
    port.postMessage(TIMED_CYCLE);
  });
}

async function publishThroughApi(
  job: Extract<PublishJob, { kind: 'api' }>,
): Promise<PublishResult> {
  const kc = new KubeConfig();
  kc.loadFromFile(job.kubeconfigPath);
  const opts = { userAgent: 'corral-bench', maxSockets: job.concurrency };
  const client = new Client(
    job.transport === 'https' ? kubeConfigTransport(kc, opts) : fetchTransport(kc, opts),
  );
  const signal = new AbortController().signal;
  const publisher = new ApiPublisher({
    api: clientOfferApi({ client }),
    resourceVersion: () => undefined,
    quotaOf: () => undefined,
    agentFacts: facts,
    concurrency: job.concurrency,
  });
  const model = cluster(job.agents, job.frameworks, Date.now());
  let result: PublishResult = { objects: 0, seconds: 0, failures: 0, bytes: 0, cpuMs: 0 };
  try {
    for (let c = 0; c < job.cycles; c++) {
      const decisions = cycle(model, c * 1000);
      const bytes = decisions.reduce(
        (n, d) => n + JSON.stringify(offerObject(d, facts(d.agent))).length,
        0,
      );
      if (c === job.cycles - 1) await timedCycleStarts();
      const cpu = process.threadCpuUsage();
      const start = process.hrtime.bigint();
      const failed = await publisher.publishOffers(decisions, signal);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const cpuMs = cpuSince(cpu);
      result = { objects: decisions.length, seconds, failures: failed.length, bytes, cpuMs };
      // hand everything back without a filter so the next cycle offers every agent again
      for (const d of decisions) model.recoverOffer(d.offerId, { now: c * 1000 });
    }
    return result;
  } finally {
    await client.close();
  }
}

async function writeRawToEtcd(job: Extract<PublishJob, { kind: 'etcd' }>): Promise<PublishResult> {
  const model = cluster(job.agents, job.frameworks, Date.now());
  const offers: Offer[] = cycle(model, 0).map(d => offerObject(d, facts(d.agent)));
  const etcd = new Etcd3({ hosts: job.endpoint });
  const put = async (prefix: string): Promise<number> => {
    let bytes = 0;
    for (let i = 0; i < offers.length; i += job.batch) {
      // one transaction per batch: create-if-absent on every key (the API's CAS), then the puts
      const keys = offers.slice(i, i + job.batch).map(o => {
        const value = JSON.stringify(o);
        bytes += value.length;
        return [`${prefix}${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`, value] as const;
      });
      const [first] = keys;
      if (first === undefined) continue;
      const txn = etcd.if(first[0], 'Mod', '==', 0);
      for (const [key] of keys.slice(1)) txn.and(key, 'Mod', '==', 0);
      await txn.then(...keys.map(([key, value]) => etcd.put(key).value(value))).commit();
    }
    return bytes;
  };
  try {
    await put('/bench-raw-warm/');
    const cpu = process.threadCpuUsage();
    const start = process.hrtime.bigint();
    const bytes = await put('/bench-raw-offers/');
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return { objects: offers.length, seconds, failures: 0, bytes, cpuMs: cpuSince(cpu) };
  } finally {
    etcd.close();
  }
}

if (parentPort !== null) {
  const job = workerData as PublishJob;
  const result = job.kind === 'api' ? await publishThroughApi(job) : await writeRawToEtcd(job);
  parentPort.postMessage(result);
}
