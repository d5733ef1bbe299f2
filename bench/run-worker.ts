import { Worker } from 'node:worker_threads';
import type { LoadJob } from './load-worker.ts';

/** runLoad runs one load job in a worker thread and resolves with its timing. */
export function runLoad(job: LoadJob): Promise<{ seconds: number; failures: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load-worker.ts', import.meta.url), { workerData: job });
    worker.once('message', (m: { seconds: number; failures: number }) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}
