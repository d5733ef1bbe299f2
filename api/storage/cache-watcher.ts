import type { StorageLogger } from './logger.ts';
import type { StorageError, WatchEvent, WatchOptions, Watcher } from './types.ts';

/**
 * CacheWatcher is one client watch served by a watch cache: a key-prefix filter, a revision
 * floor, and the callbacks. It ends exactly once: by stop(), by an error (onError first), or when
 * the store closes; `done` then resolves and the cache forgets it.
 */
export class CacheWatcher implements Watcher {
  /** prefix filters the cache's events down to this watch's keys (e.g. one namespace). */
  readonly prefix: string;
  /**
   * after, when set, drops live events at or below it: a watch that asked for a revision the
   * cache had not reached yet must not see the events in between, which the client already has.
   */
  after: bigint | undefined;
  readonly done: Promise<StorageError | undefined>;
  private readonly opts: WatchOptions;
  private readonly logger: StorageLogger;
  private resolveDone: (err: StorageError | undefined) => void = () => undefined;
  private detach: (() => void) | undefined;
  private finished = false;

  constructor(opts: WatchOptions, logger: StorageLogger) {
    this.opts = opts;
    this.prefix = opts.prefix;
    this.logger = logger;
    this.done = new Promise(resolve => {
      this.resolveDone = resolve;
    });
  }

  /** ended is true once the watch has stopped for any reason. */
  get ended(): boolean {
    return this.finished;
  }

  /** attach records how to unsubscribe from the cache when the watch ends. */
  attach(detach: () => void): void {
    this.detach = detach;
  }

  /**
   * deliver hands one event to the client. onEvent is synchronous and must not block (the HTTP
   * layer buffers); one that throws ends only its own watch, never the fan-out to the others.
   */
  deliver(ev: WatchEvent): void {
    if (this.finished) return;
    try {
      this.opts.onEvent(ev);
    } catch (e) {
      this.logger.warn({ prefix: this.prefix, err: e }, 'watch consumer threw; ending its watch');
      this.end(undefined);
    }
  }

  /** end finishes the watch, reporting err (if any) through onError once. */
  end(err: StorageError | undefined): void {
    if (this.finished) return;
    this.finished = true;
    this.detach?.();
    if (err !== undefined) {
      try {
        this.opts.onError(err);
      } catch (e) {
        this.logger.warn({ prefix: this.prefix, err: e }, 'watch onError threw');
      }
    }
    this.resolveDone(err);
  }

  /** stop ends the watch normally. */
  stop(): void {
    this.end(undefined);
  }
}
