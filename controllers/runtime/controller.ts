import type { Logger } from 'pino';
import type { EventSource, InformerHandlers } from '../../core/client/index.ts';
import type { KubeObject } from '../../core/types/meta.ts';
import { assertNever } from '../../core/util/assert-never.ts';
import type { Clock } from '../../core/util/clock.ts';
import type { ControllerMetrics, RuntimeMetrics } from './metrics.ts';
import { noControllerMetrics } from './metrics.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { Reconciler, Request } from './reconciler.ts';
import { isTerminalError, requestFor, requestKey, requestOfKey } from './reconciler.ts';
import type { Runnable } from './runnable.ts';
import { WorkQueue } from './work-queue.ts';

/** ControllerOptions wire a reconciler to a queue and its workers. */
export interface ControllerOptions {
  /** name appears in every log line of the controller. */
  readonly name: string;
  readonly reconciler: Reconciler;
  readonly clock: Clock;
  readonly logger: Logger;
  /** workers reconcile different keys in parallel; 1 by default. */
  readonly workers?: number;
  /** rateLimiter makes a fresh per-key backoff for each start; exponential 5 ms–5 min by default. */
  readonly rateLimiter?: () => RateLimiter;
}

/** MapFn turns an object of a watched kind into the requests it should trigger. */
export type MapFn<T extends KubeObject> = (obj: T) => readonly Request[];

/** Outcome is what one reconcile pass came to; the queue action follows from it in one place. */
type Outcome =
  | { readonly kind: 'done' }
  | { readonly kind: 'requeueAfter'; readonly ms: number }
  | { readonly kind: 'retry'; readonly err: unknown }
  | { readonly kind: 'terminal'; readonly err: unknown }
  | { readonly kind: 'aborted' };

interface WatchSpec {
  readonly source: EventSource<KubeObject>;
  readonly map: MapFn<KubeObject>;
}

/**
 * Controller feeds a Reconciler from watches: events become requests (by default the object's
 * own name), requests go through a deduplicating rate-limited queue, N workers reconcile them.
 * Throw → retry with the key's backoff; TerminalError → log, no retry; `requeueAfterMs` → look
 * again after that long; otherwise the key's backoff is forgotten.
 */
export class Controller implements Runnable {
  readonly name: string;
  readonly needsLeaderElection = true;
  private readonly opts: ControllerOptions;
  private readonly log: Logger;
  private readonly watches: WatchSpec[] = [];
  private queue: WorkQueue | undefined;
  private metrics: ControllerMetrics = noControllerMetrics;

  constructor(opts: ControllerOptions) {
    this.name = opts.name;
    this.opts = opts;
    this.log = opts.logger.child({ controller: opts.name });
  }

  /** watch subscribes to a source while the controller runs; call it before start. */
  watch<T extends KubeObject>(source: EventSource<T>, map: MapFn<T> = o => [requestFor(o)]): this {
    this.watches.push({ source, map } as unknown as WatchSpec);
    return this;
  }

  /** instrument makes the controller report its queue and passes under its name. */
  instrument(metrics: RuntimeMetrics): void {
    this.metrics = metrics.controller(this.name);
  }

  /** enqueue asks for a reconcile of `req`; ignored while the controller is not running. */
  enqueue(req: Request): void {
    this.queue?.add(requestKey(req));
  }

  /** start waits for its sources to sync, then reconciles until `signal` aborts. */
  async start(signal: AbortSignal): Promise<void> {
    if (this.queue !== undefined) throw new Error(`controller ${this.name} is already running`);
    const rateLimiter = this.opts.rateLimiter?.();
    const queue = new WorkQueue({
      clock: this.opts.clock,
      metrics: this.metrics,
      ...(rateLimiter === undefined ? {} : { rateLimiter }),
    });
    this.queue = queue;
    const unobserve = this.metrics.observeDepth(() => queue.len());
    const stop = (): void => queue.shutDown();
    signal.addEventListener('abort', stop, { once: true });
    if (signal.aborted) stop();
    const unsubscribe = this.watches.map(w => w.source.on(handlersFor(w, queue)));
    try {
      await Promise.all(this.watches.map(w => w.source.waitForSync(signal)));
      this.log.info({ workers: this.opts.workers ?? 1 }, 'controller started');
      const workers = Array.from({ length: this.opts.workers ?? 1 }, () =>
        this.work(queue, signal),
      );
      await Promise.all(workers);
    } catch (err) {
      if (!signal.aborted) throw err;
    } finally {
      for (const u of unsubscribe) u();
      signal.removeEventListener('abort', stop);
      queue.shutDown();
      unobserve();
      this.queue = undefined;
      this.log.info('controller stopped');
    }
  }

  private async work(queue: WorkQueue, signal: AbortSignal): Promise<void> {
    for (let key = await queue.get(); key !== undefined; key = await queue.get()) {
      try {
        await this.reconcileKey(queue, key, signal);
      } finally {
        queue.done(key);
      }
    }
  }

  private async reconcileKey(queue: WorkQueue, key: string, signal: AbortSignal): Promise<void> {
    const { clock, reconciler } = this.opts;
    const started = clock.now();
    const worked = this.metrics.startWork();
    let outcome: Outcome;
    try {
      const result = await reconciler.reconcile(requestOfKey(key), signal);
      const after = result.requeueAfterMs ?? 0;
      outcome = after > 0 ? { kind: 'requeueAfter', ms: after } : { kind: 'done' };
    } catch (err) {
      outcome = signal.aborted
        ? { kind: 'aborted' }
        : isTerminalError(err)
          ? { kind: 'terminal', err }
          : { kind: 'retry', err };
    }
    worked();
    const line = { key, durationMs: clock.now() - started };
    switch (outcome.kind) {
      case 'done':
        queue.forget(key);
        this.log.debug({ ...line, outcome: 'done' }, 'reconciled');
        break;
      case 'requeueAfter':
        queue.forget(key);
        queue.addAfter(key, outcome.ms);
        this.log.debug({ ...line, outcome: 'requeue', requeueAfterMs: outcome.ms }, 'reconciled');
        break;
      case 'retry': {
        this.metrics.failed();
        const retryInMs = queue.addRateLimited(key);
        const failures = queue.failures(key);
        this.log.warn(
          { ...line, outcome: 'retry', retryInMs, failures, err: outcome.err },
          'reconcile failed',
        );
        break;
      }
      case 'terminal':
        this.metrics.failed();
        queue.forget(key);
        this.log.error(
          { ...line, outcome: 'terminal', err: outcome.err },
          'reconcile failed for good',
        );
        break;
      case 'aborted':
        this.log.debug({ ...line, outcome: 'aborted' }, 'reconcile aborted');
        break;
      default:
        assertNever(outcome, 'outcome');
    }
  }
}

function handlersFor(w: WatchSpec, queue: WorkQueue): InformerHandlers<KubeObject> {
  const enqueue = (obj: KubeObject): void => {
    for (const req of w.map(obj)) queue.add(requestKey(req));
  };
  return {
    add: enqueue,
    // both sides, so a mapping that moved (a new owner, a new agent) reaches old and new
    update: (old, obj) => {
      enqueue(old);
      enqueue(obj);
    },
    delete: enqueue,
  };
}
