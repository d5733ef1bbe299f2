// The raw baselines of the end-to-end benchmark, measured in the same run on the same etcd and
// the same API server process, before the cluster's load starts: etcd single-key puts/s (64 in
// flight), etcd CAS creates committed 100 per transaction (keys/s; what a group-committing API
// server could at best reach), the API server's plain create rate of a small object (Leases, 64
// in flight over https with the admin token), i.e. its write budget for everything a task costs,
// and the rate of a Task's own two writes done back to back by 64 clients at once (the create,
// which the API server makes TASK_STAGING, and the agent's RUNNING), i.e. what the API server
// allows the pipeline at best when nothing waits on anything else (and no watcher is served).
import { Agent, request } from 'node:https';
import { Etcd3 } from 'etcd3';
import type { KubeConfig } from '@kubernetes/client-node';
import { Client, corralKinds } from '../core/client/index.ts';
import type { Task } from '../core/types/task.ts';
import { cpuSecondsOf } from './e2e-procs.ts';
import { inFlight } from './load.ts';
import { widgetBody } from './load-worker.ts';
import { runLoad } from './run-worker.ts';

const CONCURRENCY = 64;
const TXN_SIZE = 100;

/** Baselines are the raw rates, per second. */
export interface Baselines {
  readonly etcdPuts: number;
  readonly etcdTxnKeys: number;
  readonly apiCreates: number;
  readonly apiFailures: number;
  /** apiTaskPaths is Tasks/s through a create and RUNNING. */
  readonly apiTaskPaths: number;
  /** apiCpuMs is the API server's CPU time per Lease create and per Task path (2 writes). */
  readonly apiCpuMs: { readonly leaseCreate: number; readonly taskPath: number };
}

async function etcdTxnKeys(endpoint: string, total: number): Promise<number> {
  const etcd = new Etcd3({ hosts: endpoint });
  try {
    const txns = Math.ceil(total / TXN_SIZE);
    const seconds = await inFlight(txns, 8, async t => {
      const keys = Array.from({ length: TXN_SIZE }, (_, i) => `/bench-txn/${t}/${i}`);
      const [first = '', ...rest] = keys;
      let txn = etcd.if(first, 'Create', '==', 0);
      for (const k of rest) txn = txn.and(k, 'Create', '==', 0);
      await txn.then(...keys.map(k => etcd.put(k).value(widgetBody(k, {})))).commit();
    });
    return (txns * TXN_SIZE) / seconds;
  } finally {
    etcd.close();
  }
}

function leaseBody(name: string): string {
  return JSON.stringify({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, labels: { bench: 'baseline' } },
    spec: { holderIdentity: `baseline-${name}`, leaseDurationSeconds: 15 },
  });
}

async function apiCreates(
  kc: KubeConfig,
  namespace: string,
  total: number,
): Promise<{ rate: number; failures: number }> {
  const cluster = kc.getCurrentCluster();
  const token = kc.getCurrentUser()?.token;
  if (cluster === null || token === undefined) throw new Error('kubeconfig without server/token');
  const url = new URL(cluster.server);
  const ca = Buffer.from(cluster.caData ?? '', 'base64');
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY, ca });
  const post = (path: string, body: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
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
      req.end(body);
    });
  try {
    await post(
      '/api/v1/namespaces',
      JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }),
    );
    const path = `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases`;
    // the namespace is admitted once the server's namespace watch saw it; warm up meanwhile
    for (let i = 0; i < 200 && (await post(path, leaseBody(`warm-${i}`))) !== 201; i++)
      await new Promise(r => setTimeout(r, 25));
    await inFlight(500, CONCURRENCY, async i => {
      await post(path, leaseBody(`w-${i}`));
    });
    let failures = 0;
    const seconds = await inFlight(total, CONCURRENCY, async i => {
      if ((await post(path, leaseBody(`l-${i}`))) !== 201) failures += 1;
    });
    return { rate: total / seconds, failures };
  } finally {
    agent.destroy();
  }
}

function baselineTask(namespace: string, name: string): Task {
  return {
    apiVersion: 'corral.dev/v1alpha1',
    kind: 'Task',
    metadata: { name, namespace },
    spec: {
      agent: 'baseline-no-such-agent',
      framework: 'baseline',
      role: '*',
      resources: { cpus: '2', mem: '256' },
      command: { value: 'sleep 1' },
    },
  };
}

// apiTaskPaths times `total` Tasks each taken through the writes the e2e path makes of it, 64
// Tasks at a time, then deletes them (untimed) so the controllers never see them.
async function apiTaskPaths(kc: KubeConfig, namespace: string, total: number): Promise<number> {
  const client = Client.fromKubeConfig(kc);
  const tasks = client.for(corralKinds.tasks);
  try {
    const now = (): string => new Date().toISOString();
    const seconds = await inFlight(total, CONCURRENCY, async i => {
      // (no agent finalizer, unlike the offer controller's creates: the untimed deletes below
      // would need one more write each to let go of it)
      const made = await tasks.create(baselineTask(namespace, `t-${i}`));
      await tasks.updateStatus({
        ...made,
        status: {
          state: 'TASK_RUNNING',
          source: 'SOURCE_EXECUTOR',
          lastTransitionTime: now(),
          containerStatus: { containerId: `baseline-${i}` },
          conditions: [
            { type: 'Ready', status: 'True', reason: 'TASK_RUNNING', lastTransitionTime: now() },
          ],
        },
      });
    });
    await inFlight(total, CONCURRENCY, async i => {
      await tasks.delete({ namespace, name: `t-${i}` });
    });
    return total / seconds;
  } finally {
    await client.close();
  }
}

/** measureBaselines runs the baselines one after another; about `total` writes each. */
export async function measureBaselines(o: {
  etcdEndpoint: string;
  kubeConfig: KubeConfig;
  /** apiPid is the API server's process, whose CPU time per write is measured. */
  apiPid: number;
  namespace: string;
  total: number;
}): Promise<Baselines> {
  const raw = { kind: 'etcd-put' as const, endpoint: o.etcdEndpoint, concurrency: CONCURRENCY };
  await runLoad({ ...raw, total: 500, prefix: '/bench-warm/' });
  const puts = await runLoad({ ...raw, total: o.total, prefix: '/bench-raw/' });
  const txn = await etcdTxnKeys(o.etcdEndpoint, o.total);
  const cpu0 = cpuSecondsOf(o.apiPid);
  const api = await apiCreates(o.kubeConfig, o.namespace, o.total);
  const cpu1 = cpuSecondsOf(o.apiPid);
  const pathCount = Math.round(o.total / 2);
  const paths = await apiTaskPaths(o.kubeConfig, o.namespace, pathCount);
  // the deletes after the timed part are counted too: a third of the Task paths' writes
  const cpu2 = cpuSecondsOf(o.apiPid);
  return {
    apiTaskPaths: paths,
    apiCpuMs: {
      leaseCreate: ((cpu1 - cpu0) * 1000) / (o.total + 700),
      taskPath: ((cpu2 - cpu1) * 1000) / pathCount,
    },
    etcdPuts: o.total / puts.seconds,
    etcdTxnKeys: txn,
    apiCreates: api.rate,
    apiFailures: api.failures,
  };
}
