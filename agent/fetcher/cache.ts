// The fetcher cache (Mesos fetcher cache, mesos-features §9.1): one file per (user, URI) shared by
// every task that asks for it; concurrent requests wait for the one download; entries in use are
// reference-counted and never evicted; eviction is LRU among unused entries until the new entry
// fits the size limit. When it cannot fit (unknown size, too big, everything in use) the caller
// downloads straight into the sandbox instead. All bookkeeping changes happen synchronously, so
// interleaved acquires see a consistent state.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** DEFAULT_CACHE_BYTES is Mesos's `--fetcher_cache_size` (2 GB). */
export const DEFAULT_CACHE_BYTES = 2 * 1024 ** 3;

interface Entry {
  readonly key: string;
  readonly path: string;
  /** Bytes reserved: the announced size, corrected once the download is done. */
  size: number;
  refs: number;
  lastUse: number;
  ready: Promise<void>;
  /** Larger than announced: deleted when its last user releases it (Mesos). */
  oversized: boolean;
}

/** CacheLease is a cached file held for use; call `release` when the copy or extraction is done. */
export interface CacheLease {
  readonly path: string;
  /** Whether this caller downloaded it (false: a cache hit, or a wait on another's download). */
  readonly downloaded: boolean;
  release(): Promise<void>;
}

/** CacheStats is the cache's state, for metrics and tests. */
export interface CacheStats {
  readonly entries: number;
  readonly usedBytes: number;
  readonly referenced: number;
}

/** FetcherCache holds downloaded files under `dir` within `maxBytes`. Build it with `open`. */
export class FetcherCache {
  readonly #dir: string;
  readonly #maxBytes: number;
  readonly #entries = new Map<string, Entry>();
  #used = 0;
  #tick = 0;
  #seq = 0;

  private constructor(dir: string, maxBytes: number) {
    this.#dir = dir;
    this.#maxBytes = maxBytes;
  }

  /**
   * open empties `dir` (Mesos clears the cache when the agent starts: nothing on disk is
   * accounted for) and returns an empty cache limited to `maxBytes`.
   */
  static async open(dir: string, maxBytes: number = DEFAULT_CACHE_BYTES): Promise<FetcherCache> {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return new FetcherCache(dir, maxBytes);
  }

  /** cacheKey is the key of a URI for a user: each user, and "no user", has its own entries. */
  static cacheKey(user: string | undefined, uri: string): string {
    return `${user ?? ''}\n${uri}`;
  }

  /**
   * acquire returns a lease on the cached file of `key`, downloading it with `fetchInto(path)`
   * (which returns the bytes written) when it is not cached. `size` is the announced size. A
   * concurrent acquire of the same key waits for the same download; a failed download fails
   * every waiter and leaves no entry. Undefined means "do not cache": the size is unknown, over
   * the limit, or cannot be freed because too many entries are in use.
   */
  async acquire(
    key: string,
    size: number | undefined,
    fetchInto: (path: string) => Promise<number>,
  ): Promise<CacheLease | undefined> {
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      hit.refs++;
      hit.lastUse = ++this.#tick;
      try {
        await hit.ready;
      } catch (e) {
        hit.refs--;
        throw e;
      }
      return this.#lease(hit, false);
    }
    if (size === undefined || !this.#makeRoom(size)) return undefined;
    const entry: Entry = {
      key,
      path: join(this.#dir, String(++this.#seq)),
      size,
      refs: 1,
      lastUse: ++this.#tick,
      ready: Promise.resolve(),
      oversized: false,
    };
    this.#entries.set(key, entry);
    this.#used += size;
    entry.ready = this.#fill(entry, fetchInto);
    await entry.ready;
    return this.#lease(entry, true);
  }

  /** stats reports the entries, bytes accounted and entries in use. */
  stats(): CacheStats {
    const all = [...this.#entries.values()];
    return {
      entries: all.length,
      usedBytes: this.#used,
      referenced: all.filter(e => e.refs > 0).length,
    };
  }

  /** has reports whether a key has an entry (ready or downloading). */
  has(key: string): boolean {
    return this.#entries.has(key);
  }

  async #fill(entry: Entry, fetchInto: (path: string) => Promise<number>): Promise<void> {
    try {
      const actual = await fetchInto(entry.path);
      if (actual > entry.size) entry.oversized = true;
      else {
        this.#used -= entry.size - actual;
        entry.size = actual;
      }
    } catch (e) {
      this.#drop(entry);
      await rm(entry.path, { force: true });
      throw e;
    }
  }

  // Evicts unused entries, least recently used first, until `size` more bytes fit. Decides
  // everything before deleting anything, so it never evicts for a reservation that cannot fit.
  #makeRoom(size: number): boolean {
    if (size > this.#maxBytes) return false;
    const idle = [...this.#entries.values()]
      .filter(e => e.refs === 0)
      .sort((a, b) => a.lastUse - b.lastUse);
    let free = this.#maxBytes - this.#used;
    const victims: Entry[] = [];
    for (const e of idle) {
      if (free >= size) break;
      victims.push(e);
      free += e.size;
    }
    if (free < size) return false;
    for (const v of victims) {
      this.#drop(v);
      void rm(v.path, { force: true }).catch(() => undefined);
    }
    return true;
  }

  #drop(entry: Entry): void {
    if (this.#entries.get(entry.key) !== entry) return;
    this.#entries.delete(entry.key);
    this.#used -= entry.size;
  }

  #lease(entry: Entry, downloaded: boolean): CacheLease {
    let released = false;
    return {
      path: entry.path,
      downloaded,
      release: async () => {
        if (released) return;
        released = true;
        entry.refs--;
        if (entry.refs === 0 && entry.oversized) {
          this.#drop(entry);
          await rm(entry.path, { force: true });
        }
      },
    };
  }
}
