// What the end-to-end benchmark watches, from its own process: every Task of the framework's
// namespace through the API (when each was first seen, when it was first seen RUNNING), and
// every write that reached etcd, counted by resource and kind (create, update, delete) from a
// raw etcd watch on the key root, so writes per task are counted where they cost, not estimated.
import { Etcd3 } from 'etcd3';
import type { KubeConfig } from '@kubernetes/client-node';
import { Client, corralKinds, makeSharedInformer } from '../core/client/index.ts';
import type { Task } from '../core/types/task.ts';
import { systemClock } from '../core/util/clock.ts';

const now = (): number => performance.now();

/** TaskTimes are the moments (performance.now() ms) the bench saw each Task. */
export class TaskObserver {
  readonly #seen = new Map<string, number>();
  readonly #running = new Map<string, number>();
  /** runningTimes are the RUNNING moments in the order they happened. */
  readonly runningTimes: number[] = [];
  #firstSeen = Infinity;
  readonly #waiters: { n: number; resolve: () => void }[] = [];
  readonly #abort = new AbortController();
  readonly #client: Client;

  constructor(kubeConfig: KubeConfig) {
    this.#client = Client.fromKubeConfig(kubeConfig);
  }

  /** firstSeen is when the first Task appeared (Infinity before). */
  get firstSeen(): number {
    return this.#firstSeen;
  }

  /** running is how many Tasks were seen RUNNING so far. */
  get running(): number {
    return this.runningTimes.length;
  }

  /** start watches the namespace's Tasks until stop(); resolves once the watch is synced. */
  async start(namespace: string): Promise<void> {
    const informer = makeSharedInformer(this.#client.for(corralKinds.tasks), {
      clock: systemClock,
      namespace,
    });
    informer.on({ add: t => this.#note(t), update: (_old, t) => this.#note(t) });
    void informer.run(this.#abort.signal).catch(() => undefined);
    await informer.waitForSync(this.#abort.signal);
  }

  #note(t: Task): void {
    const at = now();
    const name = t.metadata.name ?? '';
    if (!this.#seen.has(name)) {
      this.#seen.set(name, at);
      this.#firstSeen = Math.min(this.#firstSeen, at);
    }
    if (t.status?.state !== 'TASK_RUNNING' || this.#running.has(name)) return;
    this.#running.set(name, at);
    this.runningTimes.push(at);
    for (const w of this.#waiters) if (this.runningTimes.length >= w.n) w.resolve();
  }

  /** untilRunning resolves once `n` Tasks were seen RUNNING. */
  untilRunning(n: number): Promise<void> {
    if (this.runningTimes.length >= n) return Promise.resolve();
    return new Promise(resolve => this.#waiters.push({ n, resolve }));
  }

  /** latencies are, per Task seen RUNNING, the ms from its first sighting to RUNNING. */
  latencies(): number[] {
    const out: number[] = [];
    for (const [name, at] of this.#running) out.push(at - (this.#seen.get(name) ?? at));
    return out;
  }

  /** stop ends the watch and closes the connection. */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#client.close();
  }
}

/** WriteCounts are writes that reached etcd, by resource then by kind of write. */
export type WriteCounts = Map<string, { create: number; update: number; delete: number }>;

// resourceOf names the resource of a key `<root>/[<group>/]<plural>/...`: a group has a dot.
function resourceOf(key: string, root: string): string {
  const parts = key.slice(root.length + 1).split('/');
  const first = parts[0] ?? '';
  return first.includes('.') ? (parts[1] ?? first) : first;
}

/** WriteCounter counts etcd writes under a key root from a watch of its own. */
export class WriteCounter {
  readonly counts: WriteCounts = new Map();
  readonly #etcd: Etcd3;
  readonly #root: string;
  #stop: (() => Promise<void>) | undefined;

  constructor(endpoint: string, root = '/registry') {
    this.#etcd = new Etcd3({ hosts: endpoint });
    this.#root = root;
  }

  #bump(key: Buffer, kind: 'create' | 'update' | 'delete'): void {
    const resource = resourceOf(key.toString('utf8'), this.#root);
    const c = this.counts.get(resource) ?? { create: 0, update: 0, delete: 0 };
    c[kind] += 1;
    this.counts.set(resource, c);
  }

  /** start begins counting (writes before this are not counted). */
  async start(): Promise<void> {
    const watcher = await this.#etcd.watch().prefix(`${this.#root}/`).create();
    watcher.on('put', kv => this.#bump(kv.key, kv.version === '1' ? 'create' : 'update'));
    watcher.on('delete', kv => this.#bump(kv.key, 'delete'));
    this.#stop = () => watcher.cancel();
  }

  /** snapshot copies the counts so far. */
  snapshot(): WriteCounts {
    return new Map([...this.counts].map(([k, v]) => [k, { ...v }]));
  }

  /** stop ends the watch and closes the etcd client. */
  async stop(): Promise<void> {
    await this.#stop?.();
    this.#etcd.close();
  }
}

/** diffCounts is `after - before`, resource by resource. */
export function diffCounts(after: WriteCounts, before: WriteCounts): WriteCounts {
  const out: WriteCounts = new Map();
  for (const [k, a] of after) {
    const b = before.get(k) ?? { create: 0, update: 0, delete: 0 };
    out.set(k, {
      create: a.create - b.create,
      update: a.update - b.update,
      delete: a.delete - b.delete,
    });
  }
  return out;
}
