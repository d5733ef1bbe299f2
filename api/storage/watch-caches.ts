import type { Etcd3 } from 'etcd3';
import type { Clock } from '../../core/util/clock.ts';
import { CacheWatcher } from './cache-watcher.ts';
import { toStorageError } from './etcd-errors.ts';
import type { EtcdKv } from './etcd-kv.ts';
import type { EventBufferLimits } from './event-buffer.ts';
import { copyAsStored, keptAsStored } from './json-copy.ts';
import type { Note, NotedWrite } from './own-writes.ts';
import type { StorageLogger } from './logger.ts';
import { parseRevision } from './revision.ts';
import {
  StorageError,
  type ListResult,
  type Stored,
  type WatchOptions,
  type Watcher,
} from './types.ts';
import { WatchCache } from './watch-cache.ts';

/** WatchCachesOptions are the dependencies of the per-resource watch caches. */
export interface WatchCachesOptions {
  readonly etcd: Etcd3;
  readonly kv: Pick<EtcdKv, 'list' | 'currentRevision'>;
  readonly clock: Clock;
  readonly logger: StorageLogger;
  readonly limits: EventBufferLimits;
  /** futureWaitMs is how long a watch from a future revision waits before failing. */
  readonly futureWaitMs: number;
}

/** WatchStats counts the watch machinery; the one-etcd-watch-per-resource promise is tested on it. */
export interface WatchStats {
  /** etcdWatches is the number of etcd watches open now. */
  readonly etcdWatches: number;
  /** etcdWatchesOpened counts every etcd watch ever opened. */
  readonly etcdWatchesOpened: number;
  readonly caches: number;
  /** watchers is the number of client watches attached to caches. */
  readonly watchers: number;
  /** ownWritesPending counts writes of this server noted for a cache whose event is still due. */
  readonly ownWritesPending: number;
  /** ownWritesUsed counts events a cache took from this server's notes instead of decoding. */
  readonly ownWritesUsed: number;
}

const FUTURE_POLL_MS = 100;
const MAX_DIRS = 10_000;

/**
 * WatchCaches owns one WatchCache per resource prefix, started on first use. Caches keep running
 * when their last watcher leaves (one idle etcd watch is cheap, and the next informer's watch can
 * then resume from a revision inside the window instead of forcing a relist). A failed cache is
 * dropped; the next watch or cached list starts a new one, which relists.
 */
export class WatchCaches {
  private readonly opts: WatchCachesOptions;
  private readonly caches = new Map<string, WatchCache>();
  // the caches covering the keys of one directory (a key up to its last `/`), found once per
  // directory and forgotten whenever a cache comes or goes
  private readonly byDir = new Map<string, readonly WatchCache[]>();
  private oddPrefixes: [string, WatchCache][] = [];
  private open = 0;
  private opened = 0;
  private closed = false;

  constructor(opts: WatchCachesOptions) {
    this.opts = opts;
  }

  /**
   * watch serves a client watch from the cache of its resource. fromRevision "0" means "any
   * state" as in kube, i.e. the same as absent. Subscription is always asynchronous, so no
   * event reaches onEvent before watch() has returned.
   */
  watch(opts: WatchOptions): Watcher {
    if (opts.resourcePrefix !== undefined && !opts.prefix.startsWith(opts.resourcePrefix)) {
      throw new RangeError(`watch: ${opts.prefix} is not under ${opts.resourcePrefix}`);
    }
    const raw = opts.fromRevision;
    const from = raw === undefined ? undefined : parseRevision(raw, `watch ${opts.prefix}`);
    const w = new CacheWatcher(opts, this.opts.logger);
    void this.subscribe(w, opts, from === 0n ? undefined : from);
    return w;
  }

  /** listCached lists from the cache covering prefix (starting it if needed): RV=0 semantics. */
  async listCached(prefix: string): Promise<ListResult> {
    const cache = this.cacheFor(prefix, undefined, undefined);
    await cache.ready;
    return cache.snapshot(prefix);
  }

  /**
   * noteWrite tells every cache covering key about a write this server is sending (see
   * WatchCache.noteWrite), each with an object of its own: the first the object itself when its
   * writer gives it up (`handOver`) and it is plain JSON (keptAsStored), the others a copy
   * (copyAsStored). The note returned is forgotten when the write fails. Nothing is noted when
   * no cache covers the key, or when the object is not plain JSON: those events are decoded.
   */
  noteWrite(write: NotedWrite, handOver: boolean): Note | undefined {
    const { key, object } = write;
    const caches = this.coveringKey(key);
    let given = handOver && caches.length > 0 ? keptAsStored(object) : undefined;
    let notes: Note[] | undefined;
    for (const cache of caches) {
      const own = given ?? copyAsStored(object);
      given = undefined;
      if (own === undefined) break;
      const note = cache.noteWrite(own === object ? write : { ...write, object: own });
      if (note !== undefined) (notes ??= []).push(note);
    }
    if (notes === undefined || notes.length < 2) return notes?.[0];
    const all = notes;
    return { forget: () => all.forEach(n => n.forget()) };
  }

  // coveringKey lists the caches whose prefix key starts with. A prefix that ends in `/` (all
  // resource and namespace prefixes do) covers every key of a directory or none of them, so
  // those are looked up once per directory; any other prefix is checked per key.
  private coveringKey(key: string): readonly WatchCache[] {
    const dir = key.slice(0, key.lastIndexOf('/') + 1);
    let found = this.byDir.get(dir);
    if (found === undefined) {
      const covering: WatchCache[] = [];
      for (const [p, c] of this.caches) if (p.endsWith('/') && dir.startsWith(p)) covering.push(c);
      found = covering;
      if (this.byDir.size >= MAX_DIRS) this.byDir.clear();
      this.byDir.set(dir, found);
    }
    if (this.oddPrefixes.length === 0) return found;
    const odd = this.oddPrefixes.filter(([p]) => key.startsWith(p));
    return odd.length === 0 ? found : [...found, ...odd.map(([, c]) => c)];
  }

  // cachesChanged forgets what coveringKey found, after a cache came or went.
  private cachesChanged(): void {
    this.byDir.clear();
    this.oddPrefixes = [...this.caches].filter(([p]) => !p.endsWith('/'));
  }

  /** getCached is the object at key in a running cache covering it (Store.getCached). */
  getCached(key: string): Stored | undefined {
    for (const cache of this.coveringKey(key)) {
      const got = cache.get(key);
      if (got !== undefined) return got;
    }
    return undefined;
  }

  /** stats reports the current counts. */
  stats(): WatchStats {
    let watchers = 0;
    let ownWritesPending = 0;
    let ownWritesUsed = 0;
    for (const c of this.caches.values()) {
      watchers += c.watcherCount;
      ownWritesPending += c.ownWrites.pending;
      ownWritesUsed += c.ownWrites.used;
    }
    const { open, opened } = this;
    return {
      etcdWatches: open,
      etcdWatchesOpened: opened,
      caches: this.caches.size,
      watchers,
      ownWritesPending,
      ownWritesUsed,
    };
  }

  /** close ends every watch and cancels every etcd watch. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.caches.values()];
    this.caches.clear();
    this.cachesChanged();
    await Promise.all(all.map(c => c.close()));
  }

  private async subscribe(w: CacheWatcher, opts: WatchOptions, from?: bigint): Promise<void> {
    try {
      if (this.closed) throw new StorageError('Unavailable', 'the store is closed');
      const start = from === undefined ? undefined : from.toString();
      for (;;) {
        const cache = this.cacheFor(opts.prefix, opts.resourcePrefix, start);
        await cache.ready;
        if (from !== undefined && from > cache.revision) await this.waitForRevision(from);
        // false: the cache was retired for a broader one meanwhile; go again to its successor
        if (cache.subscribe(w, from)) return;
      }
    } catch (e) {
      w.end(toStorageError(e, `watch ${opts.prefix}`));
    }
  }

  /**
   * waitForRevision returns once etcd has reached rev. The cache need not have: events it has
   * not applied yet are filtered per watcher, so nothing waits on a quiet prefix whose revision
   * lags the store's. A revision etcd has not reached fails after futureWaitMs, as kube does.
   */
  private async waitForRevision(rev: bigint): Promise<void> {
    const deadline = this.opts.clock.now() + this.opts.futureWaitMs;
    for (;;) {
      const current = BigInt(await this.opts.kv.currentRevision());
      if (rev <= current) return;
      if (this.opts.clock.now() >= deadline) {
        const msg = `Too large resource version: ${rev.toString()}, current: ${current.toString()}`;
        throw new StorageError('TooLargeResourceVersion', msg);
      }
      await this.opts.clock.sleep(FUTURE_POLL_MS);
    }
  }

  /**
   * cacheFor finds the cache to serve prefix: the explicit resource prefix, else a running cache
   * covering prefix (the longest), else a new cache of prefix itself. A new cache started for a
   * watch from a past revision lists at that revision, so the watch can resume there.
   */
  private cacheFor(prefix: string, resourcePrefix?: string, startRevision?: string): WatchCache {
    if (this.closed) throw new StorageError('Unavailable', 'the store is closed');
    const key = resourcePrefix ?? this.covering(prefix) ?? prefix;
    const existing = this.caches.get(key);
    if (existing !== undefined) return existing;
    const { etcd, kv, clock, logger, limits } = this.opts;
    const cache = new WatchCache({
      prefix: key,
      etcd,
      kv,
      clock,
      logger,
      limits,
      ...(startRevision === undefined ? {} : { startRevision }),
      onEtcdWatch: delta => {
        this.open += delta;
        if (delta > 0) this.opened += 1;
      },
      onFailed: c => {
        if (this.caches.get(c.prefix) === c) this.caches.delete(c.prefix);
        this.cachesChanged();
      },
    });
    this.caches.set(key, cache);
    this.cachesChanged();
    this.retireNarrower(key);
    return cache;
  }

  /**
   * retireNarrower closes idle caches under a new broader one (a namespace's cache started by a
   * cached list before the resource's was), so a resource settles on one etcd watch.
   */
  private retireNarrower(prefix: string): void {
    for (const [p, c] of this.caches) {
      if (p !== prefix && p.startsWith(prefix) && c.watcherCount === 0) {
        this.caches.delete(p);
        this.cachesChanged();
        void c.close();
      }
    }
  }

  private covering(prefix: string): string | undefined {
    let best: string | undefined;
    for (const p of this.caches.keys()) {
      if (prefix.startsWith(p) && (best === undefined || p.length > best.length)) best = p;
    }
    return best;
  }
}
