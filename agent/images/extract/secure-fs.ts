// Filesystem steps that never follow a symlink: every path is built from validated components
// and every component is lstat'ed, so no link planted earlier can redirect a write.
import type { Stats } from 'node:fs';
import { lstat, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ancestorsOf } from './entry-name.ts';

const code = (e: unknown): unknown => (e as { code?: unknown }).code;

/** lstatOrNull is lstat, with a missing path (or a missing parent) as null. */
export async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (e) {
    if (code(e) === 'ENOENT' || code(e) === 'ENOTDIR') return null;
    throw e;
  }
}

/** ParentState says whether a path's ancestors are all real directories. */
export type ParentState =
  | { readonly kind: 'ok' }
  | { readonly kind: 'missing'; readonly at: string }
  | { readonly kind: 'not-dir'; readonly at: string; readonly symlink: boolean };

/** checkParents lstats each ancestor of `rel` under `root`, outermost first. */
export async function checkParents(root: string, rel: string): Promise<ParentState> {
  for (const a of ancestorsOf(rel)) {
    const st = await lstatOrNull(join(root, a));
    if (st === null) return { kind: 'missing', at: a };
    if (!st.isDirectory()) return { kind: 'not-dir', at: a, symlink: st.isSymbolicLink() };
  }
  return { kind: 'ok' };
}

/** realDir is true when `rel` and all its ancestors are real directories under `root`. */
export async function realDir(root: string, rel: string): Promise<boolean> {
  if ((await checkParents(root, rel)).kind !== 'ok') return false;
  return (await lstatOrNull(join(root, rel)))?.isDirectory() === true;
}

/**
 * makeParents creates the missing ancestors of `rel` (mode 0755, owned by us) and reports each
 * one created; it refuses, with `refuse(at, symlink)`'s error, when an ancestor is not a dir.
 */
export async function makeParents(
  root: string,
  rel: string,
  onCreate: (rel: string) => void,
  refuse: (at: string, symlink: boolean) => Error,
): Promise<void> {
  for (const a of ancestorsOf(rel)) {
    const abs = join(root, a);
    const st = await lstatOrNull(abs);
    if (st === null) {
      await mkdir(abs, { mode: 0o755 });
      onCreate(a);
    } else if (!st.isDirectory()) {
      throw refuse(a, st.isSymbolicLink());
    }
  }
}

/** removeTree deletes a path and, for a directory, its contents; a symlink itself, never its target. */
export async function removeTree(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}
