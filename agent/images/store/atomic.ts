// The store's write protocol: build in tmp/, then rename into place. A reader therefore sees a
// blob, a layer or a record either complete or not at all, and a crash leaves only tmp/ litter.
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, mkdtemp, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** tempPath is a fresh name inside tmp/ (nothing is created). */
export function tempPath(tmpDir: string, prefix: string): string {
  return join(tmpDir, `${prefix}-${randomBytes(8).toString('hex')}`);
}

/** makeTempDir creates a private staging directory inside tmp/. */
export async function makeTempDir(tmpDir: string, prefix: string): Promise<string> {
  await mkdir(tmpDir, { recursive: true });
  return mkdtemp(join(tmpDir, `${prefix}-`));
}

/** writeFileAtomic writes, fsyncs and renames, so `dest` is never seen half-written. */
export async function writeFileAtomic(
  tmpDir: string,
  dest: string,
  data: string | Uint8Array,
): Promise<void> {
  await mkdir(tmpDir, { recursive: true });
  const tmp = tempPath(tmpDir, 'file');
  const fh = await open(tmp, 'wx', 0o644);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, dest);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

const code = (e: unknown): unknown => (e as { code?: unknown }).code;

/**
 * moveDirIntoPlace renames a staged directory to `dest`. When `dest` already exists (another
 * process finished the same content first) the staged copy is dropped and false is returned:
 * content-addressed directories are equal by construction, so either copy is right.
 */
export async function moveDirIntoPlace(staged: string, dest: string): Promise<boolean> {
  try {
    await rename(staged, dest);
    return true;
  } catch (e) {
    if (code(e) !== 'ENOTEMPTY' && code(e) !== 'EEXIST') throw e;
    await rm(staged, { recursive: true, force: true });
    return false;
  }
}

/** exists is true when `path` can be lstat'ed. */
export async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (e) {
    if (code(e) === 'ENOENT' || code(e) === 'ENOTDIR') return false;
    throw e;
  }
}
