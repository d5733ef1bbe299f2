// The list+watch loop of an informer, apart from its cache and handlers.
import type { Logger } from 'pino';
import type { KubeObject } from '../types/meta.ts';
import { assertNever } from '../util/assert-never.ts';
import type { Clock } from '../util/clock.ts';
import type { Backoff } from './backoff.ts';
import { isGone } from './errors.ts';
import type { Kind } from './kinds.ts';
import type { ListOptions, ObjectList, Selectors, WatchOptions } from './options.ts';
import type { WatchEvent } from './watch-stream.ts';

/** ListWatcher is what an informer needs of a client; ResourceClient is one. */
export interface ListWatcher<T extends KubeObject> {
  readonly kind: Kind<T>;
  list(opts: ListOptions): Promise<ObjectList<T>>;
  watch(opts: WatchOptions): AsyncIterable<WatchEvent<T>>;
  /** watchBatches, when given, is preferred: the same events, a received chunk at a time. */
  watchBatches?(opts: WatchOptions): AsyncIterable<readonly WatchEvent<T>[]>;
}

/** InformerSink receives what the loop learns. */
export interface InformerSink<T extends KubeObject> {
  replace(items: readonly T[]): void;
  upsert(obj: T): void;
  remove(obj: T): void;
}

/** InformerRunOptions are the collaborators of one loop. */
export interface InformerRunOptions<T extends KubeObject> {
  readonly source: ListWatcher<T>;
  readonly selectors: Selectors;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly backoff: Backoff;
  readonly pageSize: number;
  readonly random: () => number;
  readonly sink: InformerSink<T>;
}

async function* singles<E>(
  events: AsyncIterable<E>,
): AsyncGenerator<readonly E[], void, undefined> {
  for await (const e of events) yield [e];
}

/** QUICK_CLOSE_MS: a watch the server ends this fast with no event is treated as a failure. */
const QUICK_CLOSE_MS = 1000;

/**
 * InformerRun is the reflector: list (paged) into the sink, then watch from the list's
 * resourceVersion; a clean close re-watches from the last seen resourceVersion, a 410 relists,
 * any other failure waits with backoff and tries again. It stops only when the signal aborts.
 */
export class InformerRun<T extends KubeObject> {
  private readonly o: InformerRunOptions<T>;

  constructor(opts: InformerRunOptions<T>) {
    this.o = opts;
  }

  /** run loops until `signal` aborts, then resolves. */
  async run(signal: AbortSignal): Promise<void> {
    const { clock, logger, backoff } = this.o;
    let rv: string | undefined;
    let goneInARow = 0;
    while (!signal.aborted) {
      try {
        if (rv === undefined) rv = await this.list(signal);
        const started = clock.now();
        let events = 0;
        for await (const batch of this.watch(this.watchOptions(rv, signal))) {
          for (const ev of batch) rv = this.apply(ev) ?? rv;
          events += batch.length;
          goneInARow = 0;
          backoff.reset();
        }
        // A clean close is routine (server timeout). One that comes at once with nothing in it,
        // again and again, would spin: wait as after a failure.
        if (events === 0 && clock.now() - started < QUICK_CLOSE_MS)
          await this.pause(backoff.next(), signal);
      } catch (err) {
        if (signal.aborted) break;
        if (isGone(err)) {
          logger.info({ rv }, 'resourceVersion too old; relisting');
          rv = undefined;
          // relist at once the first time; a server answering 410 to a fresh list must not spin
          if (goneInARow++ > 0) await this.pause(backoff.next(), signal);
          continue;
        }
        const delayMs = backoff.next();
        logger.warn({ err, delayMs, attempt: backoff.attempts }, 'list/watch failed; retrying');
        await this.pause(delayMs, signal);
      }
    }
  }

  private async list(signal: AbortSignal): Promise<string> {
    const items: T[] = [];
    let cont: string | undefined;
    let rv = '';
    do {
      const page = await this.o.source.list({
        ...this.o.selectors,
        limit: this.o.pageSize,
        signal,
        ...(cont === undefined ? {} : { continue: cont }),
      });
      items.push(...page.items);
      // every page of one list is the same snapshot; the first page names its revision
      if (rv === '') rv = page.metadata.resourceVersion;
      cont = page.metadata.continue === '' ? undefined : page.metadata.continue;
    } while (cont !== undefined);
    this.o.sink.replace(items);
    return rv;
  }

  // one async step per received chunk, not per event, when the source can (ResourceClient can)
  private watch(opts: WatchOptions): AsyncIterable<readonly WatchEvent<T>[]> {
    const source = this.o.source;
    return source.watchBatches === undefined
      ? singles(source.watch(opts))
      : source.watchBatches(opts);
  }

  private watchOptions(rv: string, signal: AbortSignal): WatchOptions {
    return {
      ...this.o.selectors,
      resourceVersion: rv,
      allowWatchBookmarks: true,
      // as client-go's reflector: 5–10 min, so many clients do not all reconnect at once
      timeoutSeconds: Math.floor(300 * (1 + this.o.random())),
      signal,
    };
  }

  /** apply hands one event to the sink and returns the resourceVersion it moves to. */
  private apply(ev: WatchEvent<T>): string | undefined {
    switch (ev.type) {
      case 'ADDED':
      case 'MODIFIED':
        this.o.sink.upsert(ev.object);
        return ev.object.metadata.resourceVersion;
      case 'DELETED':
        this.o.sink.remove(ev.object);
        return ev.object.metadata.resourceVersion;
      case 'BOOKMARK':
        return ev.resourceVersion === '' ? undefined : ev.resourceVersion;
      default:
        return assertNever(ev, 'watch event');
    }
  }

  private async pause(ms: number, signal: AbortSignal): Promise<void> {
    try {
      await this.o.clock.sleep(ms, signal);
    } catch {
      // aborted: the loop condition ends the run
    }
  }
}
