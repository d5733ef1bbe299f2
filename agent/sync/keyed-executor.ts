// A small per-key serial executor for the agent's sync loops. Why not controllers/runtime's
// WorkQueue + Controller: agent/ may import only core/ (eslint enforces it), and moving that queue
// with its rate limiter into core/ would change another component's module for three features
// the agent needs: one run per key at a time (a Task's launch, kill and cleanup never overlap),
// coalescing (events during a run cause exactly one more run), and retry with per-key backoff.
// A cap on concurrent keys keeps a burst of launches from forking hundreds of runc at once, and a
// low-priority lane with a smaller cap lets work nobody waits for (destroying the containers of
// ended Tasks) yield the CPU to launches during a burst.
import type { Logger } from 'pino';
import { Backoff } from '../../core/client/index.ts';
import type { Clock } from '../../core/util/clock.ts';

/** SyncResult asks for another run after a delay, when nothing else triggers one first. */
export interface SyncResult {
  readonly requeueAfterMs?: number;
}

/** Priority orders runs: `low` runs only while no `high` key waits, under its own cap. */
export type Priority = 'high' | 'low';

/** KeyedExecutorOptions wire the executor. */
export interface KeyedExecutorOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  /** run syncs one key; throwing retries it with the key's backoff. */
  readonly run: (key: string, signal: AbortSignal, priority: Priority) => Promise<SyncResult>;
  /** concurrency caps keys running at once. */
  readonly concurrency: number;
  /** lowConcurrency caps low-priority runs (1 by default). */
  readonly lowConcurrency?: number;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
}

/** KeyedExecutor runs `run(key)` for enqueued keys, never twice at once for one key. */
export class KeyedExecutor {
  readonly #o: KeyedExecutorOptions;
  readonly #queue: Record<Priority, string[]> = { high: [], low: [] };
  readonly #queued = new Map<string, Priority>();
  readonly #running = new Map<string, Priority>();
  readonly #again = new Map<string, Priority>();
  readonly #backoff = new Map<string, Backoff>();
  readonly #idle = new Set<() => void>();
  #signal: AbortSignal | undefined;

  constructor(options: KeyedExecutorOptions) {
    this.#o = options;
  }

  /** start begins running keys (those enqueued before included) until `signal` aborts. */
  start(signal: AbortSignal): void {
    this.#signal = signal;
    signal.addEventListener('abort', () => this.#pump(), { once: true });
    this.#pump();
  }

  /**
   * enqueue asks for a run of `key`; a key running now runs once more afterwards. A key asked
   * for at both priorities runs once, at the higher.
   */
  enqueue(key: string, priority: Priority = 'high'): void {
    if (this.#signal?.aborted === true) return;
    if (this.#running.has(key)) {
      if (this.#again.get(key) !== 'high') this.#again.set(key, priority);
      return;
    }
    const queued = this.#queued.get(key);
    if (queued === 'high' || queued === priority) return;
    if (queued === 'low') this.#queue.low.splice(this.#queue.low.indexOf(key), 1);
    this.#queued.set(key, priority);
    this.#queue[priority].push(key);
    this.#pump();
  }

  /** enqueueAfter enqueues `key` once `ms` have passed on the clock. */
  enqueueAfter(key: string, ms: number, priority: Priority = 'high'): void {
    const signal = this.#signal;
    this.#o.clock.sleep(ms, signal).then(
      () => this.enqueue(key, priority),
      () => undefined,
    );
  }

  /**
   * idle resolves once nothing is queued or running (tests, benchmarks); after the executor is
   * stopped, once the runs still going have ended.
   */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise(resolve => this.#idle.add(resolve));
  }

  #isIdle(): boolean {
    return this.#queued.size === 0 && this.#running.size === 0;
  }

  #next(): [string, Priority] | undefined {
    if (this.#running.size >= this.#o.concurrency) return undefined;
    const high = this.#queue.high.shift();
    if (high !== undefined) return [high, 'high'];
    const lowRunning = [...this.#running.values()].filter(p => p === 'low').length;
    if (lowRunning >= (this.#o.lowConcurrency ?? 1)) return undefined;
    const low = this.#queue.low.shift();
    return low === undefined ? undefined : [low, 'low'];
  }

  #pump(): void {
    const signal = this.#signal;
    if (signal === undefined) return;
    if (signal.aborted) {
      // stopped: nothing new starts; idle() now waits only for the runs still going
      this.#queue.high.length = 0;
      this.#queue.low.length = 0;
      this.#queued.clear();
    }
    for (let next = this.#next(); !signal.aborted && next !== undefined; next = this.#next()) {
      const [key, priority] = next;
      this.#queued.delete(key);
      this.#running.set(key, priority);
      void this.#runOne(key, priority, signal);
    }
    if (this.#isIdle()) {
      for (const done of this.#idle) done();
      this.#idle.clear();
    }
  }

  async #runOne(key: string, priority: Priority, signal: AbortSignal): Promise<void> {
    try {
      const result = await this.#o.run(key, signal, priority);
      this.#backoff.delete(key);
      if (result.requeueAfterMs !== undefined) this.enqueueAfter(key, result.requeueAfterMs);
    } catch (err) {
      if (!signal.aborted) {
        const { initialMs = 200, maxMs = 30_000 } = this.#o.backoff ?? {};
        let b = this.#backoff.get(key);
        if (b === undefined) {
          b = new Backoff({ initialMs, maxMs, jitter: 0.2 });
          this.#backoff.set(key, b);
        }
        const retryInMs = b.next();
        this.#o.logger.warn({ key, err, retryInMs }, 'sync failed; retrying');
        this.enqueueAfter(key, retryInMs, priority);
      }
    } finally {
      this.#running.delete(key);
      const again = this.#again.get(key);
      this.#again.delete(key);
      if (again !== undefined) this.enqueue(key, again);
      this.#pump();
    }
  }
}
