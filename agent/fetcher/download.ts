// Getting the bytes of one source into one file: a local copy or an HTTP(S) GET, streamed, with
// Mesos's stall rule (`--fetcher_stall_timeout`: slower than 1 B/s for the whole timeout aborts).
import { createReadStream } from 'node:fs';
import { open as openFile, stat } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Clock } from '../../core/util/clock.ts';
import { FetchError } from './errors.ts';
import { WRITE_FLAGS } from './safe-path.ts';
import type { FetchSource } from './uri.ts';

/** DEFAULT_STALL_TIMEOUT_MS is Mesos's `--fetcher_stall_timeout` (1 minute). */
export const DEFAULT_STALL_TIMEOUT_MS = 60_000;

/** DownloadOptions are the clock the stall watchdog uses, its timeout, and cancellation. */
export interface DownloadOptions {
  readonly clock: Clock;
  readonly stallTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * sourceSize is the size a source announces before it is fetched, for the cache's space
 * reservation: a local file's size, or an HTTP HEAD's Content-Length when it is > 0 (Mesos
 * requires that). Undefined when unknown (the fetch then bypasses the cache, as in Mesos).
 */
export async function sourceSize(
  src: FetchSource,
  signal?: AbortSignal,
): Promise<number | undefined> {
  try {
    if (src.kind === 'file') return (await stat(src.path)).size;
    const res = await fetch(src.url, {
      method: 'HEAD',
      redirect: 'follow',
      ...(signal ? { signal } : {}),
    });
    const n = Number(res.headers.get('content-length') ?? '');
    return res.ok && Number.isSafeInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined; // the GET will report the real problem
  }
}

async function watchdog(
  o: DownloadOptions,
  progress: () => number,
  signal: AbortSignal,
): Promise<boolean> {
  const ms = o.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  let last = progress();
  for (;;) {
    try {
      await o.clock.sleep(ms, signal);
    } catch {
      return false;
    }
    const now = progress();
    if (now - last < ms / 1000) return true;
    last = now;
  }
}

async function open(src: FetchSource, uri: string, signal: AbortSignal): Promise<Readable> {
  if (src.kind === 'file') {
    const s = await stat(src.path).catch((e: unknown) => {
      throw new FetchError(
        'SOURCE_FAILED',
        uri,
        `${src.path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
      );
    });
    if (!s.isFile())
      throw new FetchError('SOURCE_FAILED', uri, `${src.path} is not a regular file`);
    return createReadStream(src.path);
  }
  let res: Response;
  try {
    res = await fetch(src.url, { redirect: 'follow', signal });
  } catch (e) {
    if (signal.aborted) throw e;
    // undici says only "fetch failed"; the cause names the real trouble (ECONNREFUSED...).
    const err = e as Error & { cause?: Error };
    throw new FetchError('SOURCE_FAILED', uri, err.cause?.message ?? err.message);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new FetchError('HTTP_STATUS', uri, `HTTP ${res.status} ${res.statusText}`);
  }
  return res.body === null ? Readable.from([]) : Readable.fromWeb(res.body);
}

/**
 * download streams a source into `dest` (created or truncated, never through a symlink) and
 * returns the bytes written. A download that moves less than 1 byte/second over the stall
 * timeout is aborted with FetchError STALLED; a missing file, failed connection or non-2xx answer
 * is a FetchError too. An abort of `options.signal` rejects with its reason.
 */
export async function download(
  src: FetchSource,
  dest: string,
  uri: string,
  options: DownloadOptions,
): Promise<number> {
  const stall = new AbortController();
  const done = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stall.signal]) : stall.signal;
  let bytes = 0;
  const stalled = watchdog(options, () => bytes, done.signal).then(s => {
    if (s) stall.abort(new FetchError('STALLED', uri, 'no progress within the stall timeout'));
    return s;
  });
  const count = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      cb(null, chunk);
    },
  });
  try {
    const input = await open(src, uri, signal);
    const fh = await openFile(dest, WRITE_FLAGS, 0o644);
    await pipeline(input, count, fh.createWriteStream(), { signal });
    return bytes;
  } catch (e) {
    if (stall.signal.aborted) throw stall.signal.reason as Error;
    if (e instanceof FetchError || options.signal?.aborted === true) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') {
      throw new FetchError('INVALID_OUTPUT_FILE', uri, `${dest} is a symlink`);
    }
    throw new FetchError('SOURCE_FAILED', uri, (e as Error).message);
  } finally {
    done.abort();
    await stalled;
  }
}
