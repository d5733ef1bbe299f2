import type { Etcd3, IWatchResponse, Watcher as EtcdWatcher } from 'etcd3';
import type { Clock } from '../../core/util/clock.ts';
import type { CacheWatcher } from './cache-watcher.ts';
import { CacheState } from './cache-state.ts';
import { toStorageError } from './etcd-errors.ts';
import type { EtcdKv } from './etcd-kv.ts';
import { EventBuffer, type EventBufferLimits } from './event-buffer.ts';
import type { Note, NotedWrite } from './own-writes.ts';
import type { StorageLogger } from './logger.ts';
import { StorageError, type ListResult, type Stored, type WatchEvent } from './types.ts';

/** WatchCacheOptions configure the cache of one resource prefix. */
export interface WatchCacheOptions {
  readonly prefix: string;
  readonly etcd: Etcd3;
  readonly kv: Pick<EtcdKv, 'list'>;
  readonly clock: Clock;
  readonly logger: StorageLogger;
  readonly limits: EventBufferLimits;
  /** startRevision starts from a past revision (the first watch resumes there) instead of now. */
  readonly startRevision?: string;
  /** onEtcdWatch counts etcd watches opened (+1) and closed (-1). */
  readonly onEtcdWatch: (delta: 1 | -1) => void;
  /** onFailed lets the owner forget a broken cache, so the next use relists into a new one. */
  readonly onFailed: (cache: WatchCache) => void;
}

const LIST_PAGE = 1000;

/**
 * WatchCache mirrors one resource prefix (kube's cacher): current objects by key, parsed once,
 * plus a window of recent events, kept current by ONE etcd watch however many clients watch.
 * Phases: (1) list the prefix at one revision, (2) watch etcd from the next revision (no
 * prev_kv: the state has every previous object), (3) apply each event to the state and the window, then fan it out to the watchers
 * whose key prefix matches. If the etcd watch is cancelled (compaction after a long disconnect)
 * the cache fails: every watcher ends with Compacted and the owner replaces the cache on next use.
 */
export class WatchCache {
  readonly prefix: string;
  /** ready settles once the initial list is in; it rejects with a StorageError if that failed. */
  readonly ready: Promise<void>;
  private readonly opts: WatchCacheOptions;
  private readonly state: CacheState;
  private rev = 0n; // every event of the prefix up to rev is applied
  private buffer: EventBuffer | undefined;
  private readonly watchers = new Set<CacheWatcher>();
  private etcdWatcher: EtcdWatcher | undefined;
  private failure: StorageError | undefined;
  private closed = false;

  constructor(opts: WatchCacheOptions) {
    this.opts = opts;
    this.prefix = opts.prefix;
    this.state = new CacheState(opts.logger);
    this.ready = this.start();
    this.ready.catch(() => undefined); // callers await it; an unobserved failure is not a crash
  }

  /** revision is the revision the cache has caught up to. */
  get revision(): bigint {
    return this.rev;
  }

  /** ownWrites counts this server's writes noted and not yet seen, and those seen (not decoded). */
  get ownWrites(): { readonly pending: number; readonly used: number } {
    const { size, used } = this.state.ownWrites;
    return { pending: size, used };
  }

  /** watcherCount is the number of client watches this cache feeds. */
  get watcherCount(): number {
    return this.watchers.size;
  }

  /**
   * noteWrite hands the cache an object of its own (a private copy, or one its writer gave up)
   * equal to what decoding the bytes `value` this server is about to write to key gives, to use
   * instead of decoding the write's event. Only a cache that has its list takes it: from then on
   * every write to its prefix reaches it as an event. `served` renders the object as served at
   * a revision, for the event's live delivery. Returns the note to forget if the write fails, or
   * undefined if the cache did not take it.
   */
  noteWrite(own: NotedWrite): Note | undefined {
    if (this.closed || this.failure !== undefined || this.buffer === undefined) return undefined;
    return this.state.ownWrites.add(own);
  }

  /** get is the cached object at key, once the initial list is in and while the cache is healthy. */
  get(key: string): Stored | undefined {
    if (this.closed || this.failure !== undefined || this.buffer === undefined) return undefined;
    return this.state.get(key);
  }

  /** snapshot lists the cached objects under prefix, sorted by key, at the cache's revision. */
  snapshot(prefix: string): ListResult {
    const items = this.state.sorted().filter(s => s.key.startsWith(prefix));
    return { items, revision: this.rev.toString(), more: false, remaining: 0 };
  }

  /**
   * subscribe attaches a watcher (after `ready`): without `from` it first gets the current state
   * as ADDED events at the cache's revision; with `from` it gets the window's events after it, or Compacted if the window
   * no longer reaches back that far. Replay and attach happen in one turn, so nothing is missed.
   * Returns false, leaving the watcher untouched, if this cache was closed: use its successor.
   */
  subscribe(w: CacheWatcher, from: bigint | undefined): boolean {
    if (this.closed || this.buffer === undefined) return false;
    if (w.ended) return true;
    if (this.failure !== undefined) {
      w.end(this.failure);
      return true;
    }
    if (from === undefined) {
      // the snapshot's events carry its revision (so a resume or bookmark after the burst is
      // exact); each object keeps its own resourceVersion
      const rv = this.rev.toString();
      for (const s of this.state.sorted()) {
        if (s.key.startsWith(w.prefix))
          w.deliver({ type: 'ADDED', key: s.key, object: s.object, rv });
      }
    } else {
      if (!this.buffer.covers(from)) {
        const oldest = this.buffer.oldestResumable.toString();
        const msg = `too old resource version: ${from.toString()} (${oldest})`;
        w.end(new StorageError('Compacted', msg));
        return true;
      }
      for (const ev of this.buffer.after(from)) if (ev.key.startsWith(w.prefix)) w.deliver(ev);
      // asked for a revision the cache has not reached: skip the events up to it when they come
      if (from > this.rev) w.after = from;
    }
    if (w.ended) return true;
    this.watchers.add(w);
    w.attach(() => this.watchers.delete(w));
    return true;
  }

  /** close ends every watcher normally and cancels the etcd watch. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of [...this.watchers]) w.end(undefined);
    await this.cancelEtcdWatch();
  }

  private async start(): Promise<void> {
    try {
      // 1. list page by page, all pages at the first page's revision
      const { kv, prefix, startRevision } = this.opts;
      const first = {
        limit: LIST_PAGE,
        ...(startRevision === undefined ? {} : { revision: startRevision }),
      };
      let page = await kv.list(prefix, first);
      const revision = page.revision;
      for (;;) {
        for (const s of page.items) this.state.add(s);
        if (!page.more || page.lastKey === undefined) break;
        page = await kv.list(prefix, { limit: LIST_PAGE, startAfterKey: page.lastKey, revision });
      }
      this.rev = BigInt(revision);
      this.buffer = new EventBuffer(this.opts.limits, this.opts.clock, this.rev);
      // 2. one etcd watch from the next revision
      if (!this.closed) this.watchEtcd();
    } catch (e) {
      const err = toStorageError(e, `watch cache ${this.prefix}`);
      this.fail(err);
      throw err;
    }
  }

  private watchEtcd(): void {
    const { etcd, prefix, logger } = this.opts;
    const next = (): string => (this.rev + 1n).toString();
    // watcher(), not create(): listeners must be on before the first response can arrive.
    // (etcd3 keeps start_revision as a Number: exact up to 2^53, centuries of writes away.)
    // No prev_kv: the cache holds every key's last object (it listed at the revision the watch
    // starts after), so a MODIFIED or DELETED takes its previous object from there, and etcd
    // need not send each changed value twice.
    const w = etcd.watch().prefix(prefix).startRevision(next()).watcher();
    this.etcdWatcher = w;
    this.opts.onEtcdWatch(1);
    w.on('data', res => this.onData(res));
    w.on('disconnected', err => {
      // etcd3 resubscribes from the revision in the create response, which can be ahead of the
      // events actually received; resume from what the cache has applied instead
      w.request.start_revision = next();
      logger.info({ prefix, err: err.message, from: next() }, 'etcd watch disconnected');
    });
    w.on('error', err => {
      this.etcdWatcher = undefined; // etcd3 has already dropped it
      this.opts.onEtcdWatch(-1);
      const failure = new StorageError('Compacted', `watch of ${prefix} was cancelled; relist`);
      failure.cause = err;
      this.fail(failure);
    });
  }

  private onData(res: IWatchResponse): void {
    try {
      if (res.events.length === 0) {
        // a progress notification: all events up to header.revision have been sent
        const progress = BigInt(res.header.revision);
        if (progress > this.rev) this.rev = progress;
        return;
      }
      const floor = this.rev;
      // the events of one transaction share a revision: parse it once
      let revText = '';
      let rev = 0n;
      for (const e of res.events) {
        if (e.kv.mod_revision !== revText) {
          revText = e.kv.mod_revision;
          rev = BigInt(revText);
        }
        if (rev <= floor) continue; // replayed after a resubscribe: already applied
        this.rev = rev;
        const ev = this.state.apply(e);
        if (ev === undefined) continue;
        // the JSON is for this delivery only: kept in the replay buffer it would hold a second
        // copy of every recent object
        this.buffer?.push(ev.rendered === undefined ? ev : { ...ev, rendered: undefined }, rev);
        this.dispatch(ev, rev);
      }
    } catch (e) {
      // never throw into etcd3's stream handler; a cache that cannot apply an event is broken
      this.fail(toStorageError(e, `watch cache ${this.prefix}`));
    }
  }

  private dispatch(ev: WatchEvent, rev: bigint): void {
    for (const w of this.watchers) {
      if (!ev.key.startsWith(w.prefix)) continue;
      if (w.after !== undefined) {
        if (rev <= w.after) continue;
        w.after = undefined;
      }
      w.deliver(ev);
    }
  }

  private fail(err: StorageError): void {
    if (this.failure !== undefined || this.closed) return;
    this.failure = err;
    this.opts.logger.warn({ prefix: this.prefix, err: err.message }, 'watch cache failed');
    this.opts.onFailed(this);
    for (const w of [...this.watchers]) w.end(err);
    void this.cancelEtcdWatch();
  }

  private async cancelEtcdWatch(): Promise<void> {
    const w = this.etcdWatcher;
    if (w === undefined) return;
    this.etcdWatcher = undefined;
    try {
      await w.cancel();
    } catch (e) {
      this.opts.logger.warn({ prefix: this.prefix, err: e }, 'cancelling the etcd watch failed');
    } finally {
      this.opts.onEtcdWatch(-1);
    }
  }
}
