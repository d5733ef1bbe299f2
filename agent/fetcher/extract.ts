// Extracting a fetched archive into the sandbox with tar-stream and our own writer: every entry
// lands inside the destination or the whole extraction fails. Rules: no absolute names, no `..`,
// never write through a symlink (lstat of every directory on the way, O_NOFOLLOW on the file),
// symlinks only to relative targets that stay inside, hard links only to regular files already
// extracted, no device nodes or fifos. Set-id bits are dropped: a task's files need none.
import { createReadStream } from 'node:fs';
import { chmod, link, lstat, open, rm, symlink } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import type { Header } from 'tar-stream';
import { FetchError } from './errors.ts';
import {
  fileInside,
  mkdirInside,
  segmentsOf,
  UnsafePathError,
  WRITE_FLAGS,
  writeNoFollow,
} from './safe-path.ts';

/** ExtractOptions names the archive, its kind, where it goes and the URI (for errors). */
export interface ExtractOptions {
  readonly archive: string;
  readonly kind: 'tar' | 'tar.gz' | 'gz';
  /** The directory the contents go into. */
  readonly destDir: string;
  /** The archive's file name; a `.gz` file is extracted to this name without `.gz`. */
  readonly name: string;
  readonly uri: string;
  readonly signal?: AbortSignal;
}

/** An entry of a type the writer refuses (devices, fifos); mapped to UNSUPPORTED_ARCHIVE. */
class EntryTypeError extends Error {}

// Replacing what an earlier entry left is what tar does; a directory is never replaced.
async function clear(path: string): Promise<void> {
  const st = await lstat(path).catch(() => undefined);
  if (st?.isDirectory() === true) throw new UnsafePathError(`'${path}' is a directory`);
  if (st !== undefined) await rm(path);
}

/** EntryBody is an entry's data stream as tar-stream yields it. */
type EntryBody = AsyncIterable<Uint8Array> & { resume(): unknown };

// tar-stream types its header loosely at runtime; these are the extra types it can yield.
type EntryType =
  Header['type'] | 'pax-header' | 'pax-global-header' | 'gnu-long-link-path' | 'gnu-long-path';

async function writeEntry(root: string, h: Header, body: EntryBody): Promise<void> {
  const type = (h.type as EntryType | null | undefined) ?? 'file';
  switch (type) {
    case 'file':
    case 'contiguous-file': {
      const path = await fileInside(root, h.name);
      await writeNoFollow(path, body, 0o600);
      await chmod(path, h.mode & 0o777);
      return;
    }
    case 'directory':
      await mkdirInside(root, segmentsOf(h.name));
      break;
    case 'symlink': {
      const target = h.linkname ?? '';
      // Resolved from the link's own directory, the target must name a place inside the root.
      if (target.startsWith('/'))
        throw new UnsafePathError(`symlink '${h.name}' → '${target}' is absolute`);
      segmentsOf(posix.normalize(posix.join(posix.dirname(h.name), target)));
      const path = await fileInside(root, h.name);
      await clear(path);
      await symlink(target, path);
      break;
    }
    case 'link': {
      const target = join(root, ...segmentsOf(h.linkname ?? ''));
      const st = await lstat(target).catch(() => undefined);
      if (st?.isFile() !== true) {
        throw new UnsafePathError(
          `hard link '${h.name}' → '${h.linkname ?? ''}' is not to an extracted file`,
        );
      }
      const path = await fileInside(root, h.name);
      await clear(path);
      await link(target, path);
      break;
    }
    case 'pax-header':
    case 'pax-global-header':
    case 'gnu-long-link-path':
    case 'gnu-long-path':
      break; // metadata tar-stream has already applied
    case 'character-device':
    case 'block-device':
    case 'fifo':
      throw new EntryTypeError(`entry '${h.name}' is a ${type}`);
    default: {
      const never: never = type;
      throw new EntryTypeError(`entry '${h.name}' has type ${String(never)}`);
    }
  }
  body.resume(); // nothing to read, but the parser waits for the entry to be drained
}

function mapError(e: unknown, uri: string): Error {
  if (e instanceof EntryTypeError) return new FetchError('UNSUPPORTED_ARCHIVE', uri, e.message);
  if (e instanceof UnsafePathError) return new FetchError('UNSAFE_ARCHIVE', uri, e.message);
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ELOOP')
    return new FetchError('UNSAFE_ARCHIVE', uri, 'an entry would write through a symlink');
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || code === undefined) {
    return new FetchError('CORRUPT_ARCHIVE', uri, (e as Error).message);
  }
  return e as Error;
}

async function extractTar(o: ExtractOptions): Promise<void> {
  const parser = tar.extract();
  const source = createReadStream(o.archive);
  const streams = o.kind === 'tar.gz' ? [source, createGunzip()] : [source];
  // Feed the parser while the loop below consumes entries; its failure is read after the loop.
  const feeding = pipeline([...streams, parser], o.signal ? { signal: o.signal } : {}).then(
    () => undefined,
    (e: unknown) => e,
  );
  try {
    for await (const entry of parser) {
      // streamx's Readable is async-iterable and has resume(); its typings do not say so.
      await writeEntry(o.destDir, entry.header, entry as unknown as EntryBody);
    }
  } catch (e) {
    parser.destroy();
    await feeding;
    throw mapError(e, o.uri);
  }
  const failed = await feeding;
  if (failed !== undefined) throw mapError(failed, o.uri);
}

/**
 * extractArchive unpacks a `.tar`, `.tar.gz`/`.tgz` into `destDir`, or gunzips a `.gz` next to
 * it, under the rules above. Throws FetchError: UNSAFE_ARCHIVE for an entry that would escape,
 * UNSUPPORTED_ARCHIVE for device/fifo entries, CORRUPT_ARCHIVE for a damaged stream. Entries
 * written before a failure stay (the task fails anyway and its sandbox is garbage).
 */
export async function extractArchive(o: ExtractOptions): Promise<void> {
  if (o.kind !== 'gz') return extractTar(o);
  const out = join(o.destDir, o.name.replace(/\.gz$/i, ''));
  try {
    if (dirname(out) !== o.destDir || out === o.destDir)
      throw new UnsafePathError(`'${o.name}' names no file`);
    await clear(out);
    const fh = await open(out, WRITE_FLAGS, 0o644);
    await pipeline(
      createReadStream(o.archive),
      createGunzip(),
      fh.createWriteStream(),
      o.signal ? { signal: o.signal } : {},
    );
  } catch (e) {
    throw mapError(e, o.uri);
  }
}
