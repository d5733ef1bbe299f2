// Keeping every write of the fetcher inside the sandbox: names are checked lexically (no
// absolute paths, no `..`), and every directory on the way is checked with lstat so that a
// symlink (from an archive, or an earlier URI) is never written through.
import { constants } from 'node:fs';
import { lstat, mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

/** WRITE_FLAGS create or truncate a file for writing, refusing (ELOOP) a final symlink. */
export const WRITE_FLAGS =
  constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;

/** UnsafePathError is a name or path that would leave the root; callers map it to a FetchError. */
export class UnsafePathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafePathError';
  }
}

/**
 * segmentsOf splits a relative name into its path segments, dropping empty and `.` ones (`./a//b`
 * is `a/b`). Throws UnsafePathError for an absolute name, a `..` segment, or a NUL byte. An empty
 * result means the root itself.
 */
export function segmentsOf(name: string): string[] {
  if (name.startsWith('/')) throw new UnsafePathError(`'${name}' is absolute`);
  if (name.includes('\0')) throw new UnsafePathError(`'${name}' holds a NUL byte`);
  const segments = name.split('/').filter(s => s !== '' && s !== '.');
  if (segments.includes('..')) throw new UnsafePathError(`'${name}' climbs out with '..'`);
  return segments;
}

/**
 * mkdirInside makes `root/<segments...>` a directory chain, creating what is missing, and
 * returns its path. Each existing component must be a real directory: a symlink or a file on the
 * way throws UnsafePathError.
 */
export async function mkdirInside(root: string, segments: readonly string[]): Promise<string> {
  let dir = root;
  for (const s of segments) {
    dir = join(dir, s);
    let st;
    try {
      st = await lstat(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      await mkdir(dir);
      continue;
    }
    if (st.isSymbolicLink())
      throw new UnsafePathError(`'${segments.join('/')}' goes through a symlink`);
    if (!st.isDirectory()) throw new UnsafePathError(`'${segments.join('/')}' goes through a file`);
  }
  return dir;
}

/**
 * fileInside prepares the parent directories of `root/<name>` (see mkdirInside) and returns the
 * file's path. The file itself is the caller's to open, with O_NOFOLLOW.
 */
export async function fileInside(root: string, name: string): Promise<string> {
  const segments = segmentsOf(name);
  const last = segments.pop();
  if (last === undefined) throw new UnsafePathError(`'${name}' names no file`);
  return join(await mkdirInside(root, segments), last);
}

/** isSymlink reports whether a path exists and is a symlink (without following it). */
export async function isSymlink(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isSymbolicLink();
  } catch {
    return false;
  }
}

/** writeNoFollow streams `body` into `path` (created or truncated, never through a symlink). */
export async function writeNoFollow(
  path: string,
  body: AsyncIterable<Uint8Array>,
  mode = 0o644,
): Promise<void> {
  const fh = await open(path, WRITE_FLAGS, mode);
  await pipeline(body, fh.createWriteStream());
}
