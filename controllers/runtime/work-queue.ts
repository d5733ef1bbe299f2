import type { Clock } from '../../core/util/clock.ts';
import { TimerQueue } from '../../core/util/timer-queue.ts';
import type { QueueMetrics } from './metrics.ts';
import { noControllerMetrics } from './metrics.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { ExponentialRateLimiter } from './rate-limiter.ts';

/** WorkQueueOptions: the clock delayed adds wait on, and the per-key failure backoff. */
export interface WorkQueueOptions {
  readonly clock: Clock;
  readonly rateLimiter?: RateLimiter;
  /** metrics counts adds and retries; nothing is recorded by default. */
  readonly metrics?: QueueMetrics;
}

/**
 * WorkQueue is client-go's rate-limited work queue for string keys:
 * - a key is queued at most once (adding a queued key does nothing), in first-added order;
 * - a key handed out by `get` is processing until `done`; it is never handed to a second worker
 *   meanwhile, and an add during processing is remembered and queues it again at `done`;
 * - `addAfter` waits on the clock (the earliest pending delay of a key wins);
 * - `addRateLimited` waits the key's backoff, which `forget` resets.
 */
export class WorkQueue {
  private readonly clock: Clock;
  private readonly limiter: RateLimiter;
  private readonly metrics: QueueMetrics;
  private readonly queue: string[] = [];
  /** dirty: keys that need processing (queued, or re-added while processing). */
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  /**
   * timers holds the delayed keys on one timer: one sleep per key (each with an abort listener
   * on the stop signal) made a controller with thousands of requeued keys spend most of its CPU
   * adding listeners. Started at the first delayed add.
   */
  private readonly timers: TimerQueue;
  private timersRunning = false;
  private readonly getters: ((key: string | undefined) => void)[] = [];
  private readonly stop = new AbortController();

  constructor(opts: WorkQueueOptions) {
    this.clock = opts.clock;
    this.timers = new TimerQueue(opts.clock);
    this.limiter = opts.rateLimiter ?? new ExponentialRateLimiter();
    this.metrics = opts.metrics ?? noControllerMetrics;
  }

  /** shuttingDown is true once shutDown was called. */
  get shuttingDown(): boolean {
    return this.stop.signal.aborted;
  }

  /** len is the number of keys queued and not yet handed out. */
  len(): number {
    return this.queue.length;
  }

  /** add queues a key unless it is already queued; ignored after shutDown. */
  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.metrics.added();
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.push(key);
  }

  /** addAfter adds a key once `ms` have passed on the clock. */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    // the earliest pending delay of a key wins (TimerQueue keeps a key's earliest deadline)
    this.timers.at(key, this.clock.now() + ms);
    if (!this.timersRunning) {
      this.timersRunning = true;
      void this.timers.run(this.stop.signal, k => this.add(k));
    }
  }

  /** addRateLimited adds a key after its backoff; returns the delay chosen. */
  addRateLimited(key: string): number {
    const ms = this.limiter.when(key);
    this.metrics.retried();
    this.addAfter(key, ms);
    return ms;
  }

  /** forget resets a key's backoff (call after it succeeded); it does not dequeue it. */
  forget(key: string): void {
    this.limiter.forget(key);
  }

  /** failures is how many times a key failed since it was last forgotten. */
  failures(key: string): number {
    return this.limiter.failures(key);
  }

  /**
   * get waits for the next key and marks it processing; `undefined` means the queue shut down.
   * The caller must call `done(key)` when finished with it.
   */
  get(): Promise<string | undefined> {
    if (this.shuttingDown) return Promise.resolve(undefined);
    const key = this.queue.shift();
    if (key !== undefined) return Promise.resolve(this.take(key));
    return new Promise(resolve => this.getters.push(resolve));
  }

  /** done ends processing of a key; if it was re-added meanwhile it is queued again. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key) && !this.shuttingDown) this.push(key);
  }

  /** shutDown stops the queue: pending and future gets return undefined, delays are dropped. */
  shutDown(): void {
    if (this.shuttingDown) return;
    this.stop.abort();
    for (const g of this.getters.splice(0)) g(undefined);
  }

  private push(key: string): void {
    const getter = this.getters.shift();
    if (getter !== undefined) getter(this.take(key));
    else this.queue.push(key);
  }

  private take(key: string): string {
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }
}
