// The fetcher (Mesos `mesos-fetcher`, mesos-features §9.1): a task's URIs, one after the other,
// into its sandbox before it starts. Any failure fails the fetch (the agent reports TASK_FAILED).
import { createReadStream } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { FetchUri } from '../../core/types/task-template.ts';
import type { Clock } from '../../core/util/clock.ts';
import type { CacheLease } from './cache.ts';
import { FetcherCache } from './cache.ts';
import type { DownloadOptions } from './download.ts';
import { download, sourceSize } from './download.ts';
import { FetchError } from './errors.ts';
import { extractArchive } from './extract.ts';
import { fileInside, UnsafePathError, writeNoFollow } from './safe-path.ts';
import type { ArchiveKind, FetchSource } from './uri.ts';
import { archiveKind, parseSource } from './uri.ts';

/** FetcherOptions: the shared cache (none: `cache: true` URIs are fetched directly), the clock. */
export interface FetcherOptions {
  readonly clock: Clock;
  readonly cache?: FetcherCache;
  /** Mesos `--fetcher_stall_timeout`; default 60s. */
  readonly stallTimeoutMs?: number;
}

/** FetchRequest is one task's fetch: its URIs, its sandbox and its user (the cache key's half). */
export interface FetchRequest {
  readonly uris: readonly FetchUri[];
  readonly sandbox: string;
  readonly user?: string;
  readonly signal?: AbortSignal;
}

/**
 * CacheOutcome: `hit` (the file was cached, or another task's download was awaited), `miss`
 * (downloaded into the cache), `bypass` (cache asked for but not possible: unknown size or no
 * room, so downloaded directly), `uncached` (not asked for).
 */
export type CacheOutcome = 'hit' | 'miss' | 'bypass' | 'uncached';

/**
 * FetchedUri says where one URI went: `path` is the file in the sandbox (for an extracted
 * archive, where the archive would be; its contents are beside it).
 */
export interface FetchedUri {
  readonly uri: string;
  readonly path: string;
  readonly cache: CacheOutcome;
  readonly extracted: boolean;
}

/** Fetcher downloads task URIs into sandboxes, through the cache when a URI asks for it. */
export class Fetcher {
  readonly #o: FetcherOptions;

  constructor(options: FetcherOptions) {
    this.#o = options;
  }

  /**
   * fetch gets every URI in order (Mesos: sequentially, one fetcher per task). Per URI: the file
   * name is `outputFile` (may hold subdirectories, never leave the sandbox) or the URI's last
   * segment; `executable` makes it mode 0755 and skips extraction; otherwise `extract` (default
   * true) unpacks `.tar`, `.tar.gz`/`.tgz` and `.gz` beside it, and refuses bzip2/xz/zip
   * archives (set `extract: false` to fetch them as files); an uncached archive stays in the
   * sandbox beside its contents, a cached one stays in the cache. The sandbox must exist.
   * Throws FetchError; an abort of `signal` rejects with its reason between and during
   * downloads (a cached download shared with other tasks is waited for, not cancelled).
   */
  async fetch(req: FetchRequest): Promise<FetchedUri[]> {
    const out: FetchedUri[] = [];
    for (const uri of req.uris) {
      req.signal?.throwIfAborted();
      out.push(await this.#one(uri, req));
    }
    return out;
  }

  async #one(u: FetchUri, req: FetchRequest): Promise<FetchedUri> {
    const src = parseSource(u.value);
    const name = u.outputFile ?? src.name;
    if (name === '')
      throw new FetchError('INVALID_URI', u.value, 'the URI names no file; set outputFile');
    let dest: string;
    try {
      dest = await fileInside(req.sandbox, name);
    } catch (e) {
      if (!(e instanceof UnsafePathError)) throw e;
      throw new FetchError('INVALID_OUTPUT_FILE', u.value, e.message);
    }
    const kind = u.executable === true || u.extract === false ? 'none' : archiveKind(name);
    if (kind === 'unsupported') {
      throw new FetchError(
        'UNSUPPORTED_ARCHIVE',
        u.value,
        `cannot extract '${name}'; set extract: false to fetch it as a file`,
      );
    }
    const dl: DownloadOptions = {
      clock: this.#o.clock,
      ...(this.#o.stallTimeoutMs === undefined ? {} : { stallTimeoutMs: this.#o.stallTimeoutMs }),
      ...(req.signal === undefined ? {} : { signal: req.signal }),
    };
    const x: ExtractContext = { kind, uri: u.value, req };
    let cache: CacheOutcome = u.cache === true ? 'bypass' : 'uncached';
    const lease = u.cache === true ? await this.#lease(u, src, req, dl) : undefined;
    if (lease !== undefined) {
      cache = lease.downloaded ? 'miss' : 'hit';
      try {
        // Cached: only the contents of an archive reach the sandbox (Mesos); a file is copied,
        // since the cached one is shared.
        if (kind === 'none') await writeNoFollow(dest, createReadStream(lease.path));
        else await extract(lease.path, dest, x);
      } finally {
        await lease.release();
      }
    } else {
      await download(src, dest, u.value, dl);
      if (kind !== 'none') await extract(dest, dest, x);
    }
    if (u.executable === true) await chmod(dest, 0o755);
    return { uri: u.value, path: dest, cache, extracted: kind !== 'none' };
  }

  async #lease(
    u: FetchUri,
    src: FetchSource,
    req: FetchRequest,
    dl: DownloadOptions,
  ): Promise<CacheLease | undefined> {
    const c = this.#o.cache;
    if (c === undefined) return undefined;
    const size = await sourceSize(src, req.signal);
    // The download is shared with every task waiting for the same key, so one task's abort must
    // not fail the others: it runs without the task's signal (the stall timeout still applies).
    const shared: DownloadOptions = {
      clock: dl.clock,
      ...(dl.stallTimeoutMs === undefined ? {} : { stallTimeoutMs: dl.stallTimeoutMs }),
    };
    return c.acquire(FetcherCache.cacheKey(req.user, u.value), size, path =>
      download(src, path, u.value, shared),
    );
  }
}

interface ExtractContext {
  readonly kind: ArchiveKind;
  readonly uri: string;
  readonly req: FetchRequest;
}

function extract(archive: string, dest: string, x: ExtractContext): Promise<void> {
  if (x.kind === 'none' || x.kind === 'unsupported') return Promise.resolve();
  return extractArchive({
    archive,
    kind: x.kind,
    destDir: dirname(dest),
    name: basename(dest),
    uri: x.uri,
    ...(x.req.signal === undefined ? {} : { signal: x.req.signal }),
  });
}
