// A list+watch informer written here rather than wrapping client-node's ListWatch, which stops
// for good on any non-410 error, sleeps with a real setTimeout, takes no AbortSignal, hands out
// shared mutable objects, gives update handlers no old object and has no hasSynced (see the
// Pitfalls of reference/aesthetics.md). This one owns restart-with-backoff, relists on 410,
// freezes what it caches, and runs on the Clock it is given.
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { KubeObject } from '../types/meta.ts';
import type { Clock } from '../util/clock.ts';
import { Backoff } from './backoff.ts';
import type { Kind } from './kinds.ts';
import type { Change, ReadonlyCache } from './object-store.ts';
import { ObjectStore } from './object-store.ts';
import type { Selectors } from './options.ts';
import { assertNever } from '../util/assert-never.ts';
import { InformerRun, type ListWatcher } from './informer-run.ts';

export type { ListWatcher };

/** InformerHandlers react to cache changes; objects are frozen. Throwing is logged, not fatal. */
export interface InformerHandlers<T extends KubeObject> {
  add?(obj: T): void;
  update?(old: T, obj: T): void;
  delete?(obj: T): void;
}

/** EventSource is what a controller needs of an informer: handlers and sync state. */
export interface EventSource<T extends KubeObject> {
  /** on subscribes, first replaying every cached object as `add`; returns the unsubscribe. */
  on(handlers: InformerHandlers<T>): () => void;
  hasSynced(): boolean;
  /** waitForSync resolves once the first list is in the cache; rejects if `signal` aborts first. */
  waitForSync(signal: AbortSignal): Promise<void>;
}

/** SharedInformer keeps a read-only cache of one kind current and tells subscribers of changes. */
export interface SharedInformer<T extends KubeObject> extends EventSource<T> {
  readonly kind: Kind<T>;
  readonly cache: ReadonlyCache<T>;
  /** run lists and watches until `signal` aborts; restarts on its own after any failure. */
  run(signal: AbortSignal): Promise<void>;
}

/** SharedInformerOptions narrow what is watched and tune restarts. */
export interface SharedInformerOptions<T extends KubeObject = KubeObject> extends Selectors {
  readonly clock: Clock;
  readonly logger?: Logger;
  /** backoff between failed attempts; 500 ms growing to 30 s with 20% jitter by default. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** pageSize is the list page size; 500 by default. */
  readonly pageSize?: number;
  /** random is injected for tests (jitter, watch timeouts). */
  readonly random?: () => number;
  /**
   * transform is applied to every listed and watched object before it is cached and handed to
   * handlers, as client-go's SetTransform (e.g. `dropManagedFields`). It gets the object fresh
   * from decoding, not yet frozen and seen by nobody else, so it may change it in place.
   */
  readonly transform?: (obj: T) => T;
}

/** makeSharedInformer builds an informer over a ResourceClient (or any ListWatcher). */
export function makeSharedInformer<T extends KubeObject>(
  source: ListWatcher<T>,
  opts: SharedInformerOptions<NoInfer<T>>,
): SharedInformer<T> {
  return new Informer(source, opts);
}

class Informer<T extends KubeObject> implements SharedInformer<T> {
  readonly kind: Kind<T>;
  private readonly source: ListWatcher<T>;
  private readonly opts: SharedInformerOptions<T>;
  private readonly logger: Logger;
  private readonly store = new ObjectStore<T>();
  private readonly handlers = new Set<InformerHandlers<T>>();
  private readonly syncWaiters = new Set<() => void>();
  private synced = false;
  private running = false;

  constructor(source: ListWatcher<T>, opts: SharedInformerOptions<T>) {
    this.kind = source.kind;
    this.source = source;
    this.opts = opts;
    this.logger = (opts.logger ?? pino({ level: 'silent' })).child({
      informer: source.kind.plural,
    });
  }

  get cache(): ReadonlyCache<T> {
    return this.store;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  on(handlers: InformerHandlers<T>): () => void {
    this.handlers.add(handlers);
    for (const obj of this.store.list()) this.call(() => handlers.add?.(obj));
    return () => this.handlers.delete(handlers);
  }

  waitForSync(signal: AbortSignal): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const done = (): void => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        this.syncWaiters.delete(done);
        reject(signal.reason as Error);
      };
      this.syncWaiters.add(done);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    if (this.running) throw new Error(`informer for ${this.kind.plural} is already running`);
    this.running = true;
    const { initialMs = 500, maxMs = 30_000 } = this.opts.backoff ?? {};
    const random = this.opts.random ?? Math.random;
    const transform = this.opts.transform;
    const loop = new InformerRun<T>({
      source: this.source,
      selectors: selectorsOf(this.opts),
      clock: this.opts.clock,
      logger: this.logger,
      backoff: new Backoff({ initialMs, maxMs, jitter: 0.2, random }),
      pageSize: this.opts.pageSize ?? 500,
      random,
      sink: {
        replace: items => {
          this.dispatch(this.store.replace(transform === undefined ? items : items.map(transform)));
          this.markSynced();
        },
        upsert: obj => this.dispatch(maybe(this.store.upsert(transform?.(obj) ?? obj))),
        remove: obj => this.dispatch(maybe(this.store.remove(transform?.(obj) ?? obj))),
      },
    });
    try {
      await loop.run(signal);
    } finally {
      this.running = false;
    }
  }

  private markSynced(): void {
    if (this.synced) return;
    this.synced = true;
    for (const w of this.syncWaiters) w();
    this.syncWaiters.clear();
  }

  private dispatch(changes: readonly Change<T>[]): void {
    for (const c of changes) {
      for (const h of this.handlers) {
        switch (c.type) {
          case 'add':
            this.call(() => h.add?.(c.obj));
            break;
          case 'update':
            this.call(() => h.update?.(c.old, c.obj));
            break;
          case 'delete':
            this.call(() => h.delete?.(c.obj));
            break;
          default:
            assertNever(c, 'change');
        }
      }
    }
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.logger.error({ err }, 'informer handler threw');
    }
  }
}

const maybe = <C>(c: C | undefined): C[] => (c === undefined ? [] : [c]);

function selectorsOf(s: Selectors): Selectors {
  return {
    ...(s.namespace === undefined ? {} : { namespace: s.namespace }),
    ...(s.labelSelector === undefined ? {} : { labelSelector: s.labelSelector }),
    ...(s.fieldSelector === undefined ? {} : { fieldSelector: s.fieldSelector }),
    ...(s.omitManagedFields === true ? { omitManagedFields: true } : {}),
  };
}
