// Load generator run in a worker thread, so the client's TLS and JSON work runs on its own event
// loop (as a real client would, in its own process) and not on the API server's.
import { Agent, request } from 'node:https';
import { parentPort, workerData } from 'node:worker_threads';
import { Etcd3 } from 'etcd3';
import { inFlight } from './load.ts';

/** LoadJob says what the worker should do; it answers with `{ seconds, failures }`. */
export type LoadJob =
  | { kind: 'etcd-put'; endpoint: string; total: number; concurrency: number; prefix: string }
  | {
      kind: 'api-create';
      url: string;
      path: string;
      token: string;
      ca: string;
      total: number;
      concurrency: number;
      prefix: string;
      labels: Record<string, string>;
    };

/** widgetBody is the benchmark's object: about 500 bytes of JSON, like a small real object. */
export function widgetBody(name: string, labels: Record<string, string>): string {
  return JSON.stringify({
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name, labels },
    spec: { size: 7, color: 'red', tags: ['a', 'b', 'c'], config: { note: 'x'.repeat(300) } },
  });
}

async function etcdPut(
  job: Extract<LoadJob, { kind: 'etcd-put' }>,
): Promise<{ seconds: number; failures: number }> {
  const etcd = new Etcd3({ hosts: job.endpoint });
  try {
    const seconds = await inFlight(job.total, job.concurrency, async i => {
      await etcd.put(`${job.prefix}${i}`).value(widgetBody(`${job.prefix}${i}`, {}));
    });
    return { seconds, failures: 0 };
  } finally {
    etcd.close();
  }
}

async function apiCreate(
  job: Extract<LoadJob, { kind: 'api-create' }>,
): Promise<{ seconds: number; failures: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency, ca: job.ca });
  const u = new URL(job.url);
  let failures = 0;
  const post = (payload: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          path: job.path,
          method: 'POST',
          agent,
          headers: { authorization: `Bearer ${job.token}`, 'content-type': 'application/json' },
        },
        res => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  try {
    const seconds = await inFlight(job.total, job.concurrency, async i => {
      if ((await post(widgetBody(`${job.prefix}${i}`, job.labels))) !== 201) failures += 1;
    });
    return { seconds, failures };
  } finally {
    agent.destroy();
  }
}

if (parentPort !== null) {
  const job = workerData as LoadJob;
  const result = job.kind === 'etcd-put' ? await etcdPut(job) : await apiCreate(job);
  parentPort.postMessage(result);
}
