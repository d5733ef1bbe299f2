// An image's merged tree, built once per image from its unpacked layers, bottom first: each
// layer's whiteouts and opaque dirs remove what lower layers put there, then its own entries
// go on top. Regular files are hardlinked from the layer store, so a view costs inodes for
// directories and symlinks only. Paths are built from readdir names under checked directories,
// and every existing entry is lstat'ed, so no symlink in the view is ever followed.
import type { Stats } from 'node:fs';
import {
  chmod,
  lchown,
  link,
  lstat,
  lutimes,
  mkdir,
  readdir,
  readlink,
  symlink,
} from 'node:fs/promises';
import { join } from 'node:path';
import { checkParents, lstatOrNull, realDir, removeTree } from '../extract/secure-fs.ts';
import type { LayerChanges } from '../extract/layer-writer.ts';

/** ViewLayer is one unpacked layer: its tree and its recorded changes. */
export interface ViewLayer {
  readonly fs: string;
  readonly changes: LayerChanges;
}

interface Merge {
  readonly src: string;
  readonly dest: string;
  readonly implicit: ReadonlySet<string>;
  readonly chown: boolean;
}

async function applyDirMeta(m: Merge, path: string, st: Stats): Promise<void> {
  // chown first: it clears set-id bits that chmod then restores
  if (m.chown) await lchown(path, st.uid, st.gid);
  await chmod(path, st.mode & 0o7777);
}

async function hideLower(dest: string, changes: LayerChanges): Promise<void> {
  for (const dir of changes.opaques) {
    if (!(await realDir(dest, dir))) continue;
    for (const name of await readdir(join(dest, dir))) await removeTree(join(dest, dir, name));
  }
  for (const path of changes.whiteouts) {
    // below a symlink or a file nothing can be hidden: the lower path does not exist as such
    if ((await checkParents(dest, path)).kind === 'ok') await removeTree(join(dest, path));
  }
}

async function mergeDir(m: Merge, rel: string, created: boolean): Promise<void> {
  const src = join(m.src, rel);
  const dst = join(m.dest, rel);
  const st = await lstat(src);
  // a dir the layer only made as a parent keeps the lower layer's owner and mode
  const own = created || !m.implicit.has(rel);
  if (own) await applyDirMeta(m, dst, st);
  for (const ent of await readdir(src, { withFileTypes: true })) {
    const r = rel === '' ? ent.name : `${rel}/${ent.name}`;
    const from = join(m.src, r);
    const to = join(m.dest, r);
    const existing = await lstatOrNull(to);
    if (ent.isDirectory()) {
      const keep = existing?.isDirectory() === true;
      if (existing !== null && !keep) await removeTree(to);
      if (!keep) await mkdir(to, { mode: 0o755 });
      await mergeDir(m, r, !keep);
      continue;
    }
    if (existing !== null) await removeTree(to);
    if (ent.isFile()) {
      await link(from, to);
    } else if (ent.isSymbolicLink()) {
      const ls = await lstat(from);
      await symlink(await readlink(from), to);
      if (m.chown) await lchown(to, ls.uid, ls.gid);
      await lutimes(to, ls.atime, ls.mtime);
    }
  }
  if (own) await lutimes(dst, st.atime, st.mtime);
}

/** buildView merges `layers` (bottom first) into `dest`, an empty directory it fills. */
export async function buildView(
  layers: readonly ViewLayer[],
  dest: string,
  opts: { chown?: boolean } = {},
): Promise<void> {
  const chown = opts.chown ?? process.getuid?.() === 0;
  await mkdir(dest, { recursive: true, mode: 0o755 });
  for (const layer of layers) {
    await hideLower(dest, layer.changes);
    await mergeDir(
      { src: layer.fs, dest, implicit: new Set(layer.changes.implicitDirs), chown },
      '',
      false,
    );
  }
}
