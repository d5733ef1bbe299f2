// Applies tar entries to one layer's own directory. Whiteouts and opaque markers are recorded,
// not applied: they act on lower layers only, when an image's view is assembled (build-view.ts).
import { constants } from 'node:fs';
import { chmod, lchown, link, lutimes, mkdir, open, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { assertNever } from '../../../core/util/assert-never.ts';
import { UnsafeLayerError, UnsupportedImageError } from '../errors.ts';
import { classifyEntry, normalizeEntryName } from './entry-name.ts';
import { checkParents, lstatOrNull, makeParents, realDir, removeTree } from './secure-fs.ts';

/** ENTRY_TYPES are the tar entry types tar-stream reports (it gives null for any other). */
export const ENTRY_TYPES = [
  'file',
  'link',
  'symlink',
  'directory',
  'block-device',
  'character-device',
  'fifo',
  'contiguous-file',
] as const;

/** EntryType is one of ENTRY_TYPES. */
export type EntryType = (typeof ENTRY_TYPES)[number];

/** EntryHeader is the part of a tar-stream header the writer reads. */
export interface EntryHeader {
  readonly name: string;
  readonly type: EntryType;
  readonly linkname?: string | null;
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly mtime?: Date;
}

/** LayerChanges is what a layer does to the layers below it, saved as `changes.json`. */
export interface LayerChanges {
  /** whiteouts are paths this layer deletes from lower layers. */
  readonly whiteouts: readonly string[];
  /** opaques are directories whose lower-layer contents this layer hides. */
  readonly opaques: readonly string[];
  /** implicitDirs were created only as parents: they must not override a lower dir's owner/mode. */
  readonly implicitDirs: readonly string[];
  /** skipped counts entries not reproduced (device nodes, fifos). */
  readonly skipped: number;
}

/** WriterOptions: `chown` applies tar owners (needs root); `warn` hears about skipped entries. */
export interface WriterOptions {
  readonly chown: boolean;
  readonly warn: (msg: string, entry: string) => void;
}

const OPEN_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** LayerWriter writes one layer's entries under `root`, refusing any that would leave it. */
export class LayerWriter {
  private readonly root: string;
  private readonly opts: WriterOptions;
  private readonly whiteouts = new Set<string>();
  private readonly opaques = new Set<string>();
  private readonly implicit = new Set<string>(['']);
  private readonly dirTimes = new Map<string, Date>();
  private skipped = 0;

  constructor(root: string, opts: WriterOptions) {
    this.root = root;
    this.opts = opts;
  }

  /** apply writes one entry; `body` must be drained (the caller resumes the tar stream after). */
  async apply(h: EntryHeader, body: AsyncIterable<Uint8Array>): Promise<void> {
    const path = normalizeEntryName(h.name);
    const meaning = classifyEntry(path);
    switch (meaning.kind) {
      case 'whiteout':
        this.whiteouts.add(meaning.target);
        return;
      case 'opaque':
        // the marker makes its directory exist in this layer, even without its own entry
        await this.parents(path, h.name);
        this.opaques.add(meaning.dir);
        return;
      case 'aufs-meta':
        return;
      case 'plain':
        return this.plain(path, h, body);
    }
  }

  /** finish sets directory times (children changed them) and returns the layer's changes. */
  async finish(): Promise<LayerChanges> {
    // a directory (or a parent of it) replaced later by a symlink must not have its target touched
    for (const [rel, mtime] of this.dirTimes)
      if (await realDir(this.root, rel)) await lutimes(join(this.root, rel), mtime, mtime);
    return {
      whiteouts: [...this.whiteouts].sort(),
      opaques: [...this.opaques].sort(),
      implicitDirs: [...this.implicit].sort(),
      skipped: this.skipped,
    };
  }

  private async plain(
    path: string,
    h: EntryHeader,
    body: AsyncIterable<Uint8Array>,
  ): Promise<void> {
    const abs = join(this.root, path);
    const mode = (h.mode ?? 0o644) & 0o7777;
    // tar-stream's types promise a known type, but it reports null for GNU sparse files and others
    if (!(ENTRY_TYPES as readonly unknown[]).includes(h.type))
      throw new UnsupportedImageError(
        `unsupported tar entry type ${JSON.stringify(h.type)} at "${h.name}"`,
      );
    if (path === '' && h.type !== 'directory')
      throw new UnsafeLayerError('the layer root must be a directory', h.name);
    await this.parents(path, h.name);
    switch (h.type) {
      case 'directory': {
        const st = await lstatOrNull(abs);
        if (st !== null && !st.isDirectory()) await removeTree(abs);
        if (st === null || !st.isDirectory()) await mkdir(abs, { mode: 0o700 });
        this.implicit.delete(path);
        // chown clears set-id bits, so chmod always comes after it
        if (this.opts.chown) await lchown(abs, h.uid ?? 0, h.gid ?? 0);
        await chmod(abs, mode);
        if (h.mtime !== undefined) this.dirTimes.set(path, h.mtime);
        return;
      }
      case 'file':
      case 'contiguous-file':
        await this.replace(abs, path);
        return this.writeFile(abs, h, body, mode);
      case 'symlink': {
        if (h.linkname === undefined || h.linkname === null || h.linkname === '')
          throw new UnsafeLayerError('symlink without a target', h.name);
        await this.replace(abs, path);
        // created as-is (absolute targets included); nothing ever writes through it
        await symlink(h.linkname, abs);
        if (this.opts.chown) await lchown(abs, h.uid ?? 0, h.gid ?? 0);
        if (h.mtime !== undefined) await lutimes(abs, h.mtime, h.mtime);
        return;
      }
      case 'link':
        return this.hardlink(abs, path, h);
      case 'character-device':
      case 'block-device':
      case 'fifo':
        this.skipped++;
        this.opts.warn(`skipping ${h.type} (not reproduced in image layers)`, h.name);
        return;
      default:
        return assertNever(h.type, 'tar entry type');
    }
  }

  private async parents(path: string, name: string): Promise<void> {
    await makeParents(
      this.root,
      path,
      created => this.implicit.add(created),
      (at, isLink) =>
        new UnsafeLayerError(
          isLink
            ? `path goes through the symlink "${at}"`
            : `path goes through the non-directory "${at}"`,
          name,
        ),
    );
  }

  // a later entry replaces an earlier one of the same name, as tar does; dirs stay for dirs only
  private async replace(abs: string, path: string): Promise<void> {
    if ((await lstatOrNull(abs)) !== null) await removeTree(abs);
    this.implicit.delete(path);
  }

  private async writeFile(
    abs: string,
    h: EntryHeader,
    body: AsyncIterable<Uint8Array>,
    mode: number,
  ): Promise<void> {
    // O_EXCL|O_NOFOLLOW: even a symlink appearing after the check above cannot be written through
    const fh = await open(abs, OPEN_NEW, 0o600);
    try {
      for await (const chunk of body) await fh.write(chunk);
      if (this.opts.chown) await fh.chown(h.uid ?? 0, h.gid ?? 0);
      await fh.chmod(mode);
      if (h.mtime !== undefined) await fh.utimes(h.mtime, h.mtime);
    } finally {
      await fh.close();
    }
  }

  private async hardlink(abs: string, path: string, h: EntryHeader): Promise<void> {
    const raw = h.linkname ?? '';
    if (raw.startsWith('/')) throw new UnsafeLayerError('hardlink to an absolute path', h.name);
    const target = normalizeEntryName(raw);
    if (target === '') throw new UnsafeLayerError('hardlink to the layer root', h.name);
    if (target === path) return;
    const parents = await checkParents(this.root, target);
    if (parents.kind === 'not-dir')
      throw new UnsafeLayerError(`hardlink target goes through "${parents.at}"`, h.name);
    const st = parents.kind === 'ok' ? await lstatOrNull(join(this.root, target)) : null;
    if (st === null)
      throw new UnsafeLayerError(`hardlink target "${target}" is not in this layer`, h.name);
    if (st.isDirectory()) throw new UnsafeLayerError('hardlink to a directory', h.name);
    await this.replace(abs, path);
    // link(2) does not follow a symlink target, so this links the entry itself, inside the root
    await link(join(this.root, target), abs);
  }
}
