// What the end-to-end benchmark watches, from its own process, on one raw etcd watch of the key
// root: every write that reached etcd, counted by resource and kind (create, update, delete), so
// writes per task are counted where they cost, not estimated; and the framework's Tasks as they
// are stored (when each was first written, when it was first written RUNNING). Reading the Tasks
// from etcd rather than through an API watch keeps the bench from adding a fourth Task watcher
// (controllers, hollow agents and the framework already watch them) whose fan-out and parsing
// would cost the cluster under test about 0.2 ms of CPU per task; a stored RUNNING is what every
// watcher is then told.
import { Etcd3 } from 'etcd3';
import type { Task } from '../core/types/task.ts';

const now = (): number => performance.now();

// Only a value with this in it can be a RUNNING Task, so only those are parsed: most of the
// Tasks' writes (their creates) are told apart without a JSON.parse in the bench's process,
// which shares the machine with the cluster it measures.
const RUNNING = Buffer.from('"TASK_RUNNING"');

/** TaskObserver notes the moments (performance.now() ms) each Task was stored, and RUNNING. */
export class TaskObserver {
  readonly #seen = new Map<string, number>();
  readonly #running = new Map<string, number>();
  /** runningTimes are the RUNNING moments in the order they happened. */
  readonly runningTimes: number[] = [];
  /** seenTimes are the moments each Task was first seen, in order. */
  readonly seenTimes: number[] = [];
  #firstSeen = Infinity;
  readonly #waiters: { n: number; resolve: () => void }[] = [];

  /** firstSeen is when the first Task appeared (Infinity before). */
  get firstSeen(): number {
    return this.#firstSeen;
  }

  /** running is how many Tasks were seen RUNNING so far. */
  get running(): number {
    return this.runningTimes.length;
  }

  /** notePut takes a stored Task (its name, from the key, and value) as an etcd watch delivered it. */
  notePut(name: string, value: Buffer): void {
    const at = now();
    if (!this.#seen.has(name)) {
      this.#seen.set(name, at);
      this.seenTimes.push(at);
      this.#firstSeen = Math.min(this.#firstSeen, at);
    }
    if (this.#running.has(name) || !value.includes(RUNNING)) return;
    let t: Task;
    try {
      t = JSON.parse(value.toString('utf8')) as Task;
    } catch {
      return;
    }
    if (t.status?.state !== 'TASK_RUNNING') return;
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
  readonly #puts: {
    readonly prefix: string;
    readonly take: (name: string, value: Buffer) => void;
  }[] = [];
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
    watcher.on('put', kv => {
      this.#bump(kv.key, kv.version === '1' ? 'create' : 'update');
      if (this.#puts.length === 0) return;
      const key = kv.key.toString('utf8');
      for (const p of this.#puts)
        if (key.startsWith(p.prefix)) p.take(key.slice(p.prefix.length), kv.value);
    });
    watcher.on('delete', kv => this.#bump(kv.key, 'delete'));
    this.#stop = () => watcher.cancel();
  }

  /**
   * onPut hands every write under `<root>/<path>/` to `take` from now on: the rest of its key
   * (the name, for a namespace's collection) and its value.
   */
  onPut(path: string, take: (name: string, value: Buffer) => void): void {
    this.#puts.push({ prefix: `${this.#root}/${path}/`, take });
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
