// Image GC, Mesos 1.5's mark and sweep (MESOS-4945): images used by containers (the caller's
// `keep`, plus every lease on disk) and the excluded images survive; every other image goes, then
// every layer, blob and view that no surviving image references. It holds the GC write lock, so
// no pull or rootfs assembly runs meanwhile.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isDigest, type Digest } from '../digest.ts';
import { removeTree } from '../extract/secure-fs.ts';
import type { StoreContext } from './context.ts';
import { listLeases } from './leases.ts';
import { viewDir } from './paths.ts';
import {
  listImageRecords,
  readRefs,
  removeImageRecord,
  updateRefs,
  type ImageRecord,
} from './records.ts';
import { diskUsage } from './usage.ts';

/** GcOptions: what to keep besides leased images. */
export interface GcOptions {
  /** keep are image digests in use by containers the caller knows of. */
  readonly keep: ReadonlySet<Digest>;
  /** excludedImages are digests or reference keys (`registry/repo:tag`) never collected. */
  readonly excludedImages?: readonly string[];
  /** maxUnusedAgeMs spares images used (pulled or mounted) more recently than this. */
  readonly maxUnusedAgeMs?: number;
}

/** GcReport says what a collection removed and how many bytes it gave back. */
export interface GcReport {
  readonly removedImages: readonly Digest[];
  readonly removedLayers: readonly Digest[];
  readonly removedBlobs: readonly Digest[];
  readonly keptImages: readonly Digest[];
  readonly freedBytes: number;
}

const code = (e: unknown): unknown => (e as { code?: unknown }).code;

async function names(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    if (code(e) === 'ENOENT') return [];
    throw e;
  }
}

async function protectedImages(ctx: StoreContext, opts: GcOptions): Promise<Set<string>> {
  const keep = new Set<string>(opts.keep);
  for (const l of await listLeases(ctx)) keep.add(l.image);
  const refs = await readRefs(ctx);
  for (const x of opts.excludedImages ?? []) {
    const d = isDigest(x) ? x : refs[x];
    if (d !== undefined) keep.add(d);
  }
  return keep;
}

// sweep one content-addressed directory: remove every `<hex>` (or `<hex>.json`) not marked
async function sweep(dir: string, marked: ReadonlySet<string>): Promise<Digest[]> {
  const removed: Digest[] = [];
  for (const n of await names(dir)) {
    const d = `sha256:${n}`;
    if (!isDigest(d) || marked.has(d)) continue;
    await removeTree(join(dir, n));
    removed.push(d);
  }
  return removed;
}

/** collectGarbage runs one mark-and-sweep pass and reports it. */
export function collectGarbage(ctx: StoreContext, opts: GcOptions): Promise<GcReport> {
  return ctx.gcLock.write(async () => {
    const before = await diskUsage(ctx.paths.root);
    const keep = await protectedImages(ctx, opts);
    const now = ctx.clock.now();
    const kept: ImageRecord[] = [];
    const removedImages: Digest[] = [];
    for (const r of await listImageRecords(ctx)) {
      const recent = opts.maxUnusedAgeMs !== undefined && now - r.lastUsedAt < opts.maxUnusedAgeMs;
      if (keep.has(r.digest) || recent) {
        kept.push(r);
        continue;
      }
      await removeImageRecord(ctx, r.digest);
      removedImages.push(r.digest);
    }
    const gone = new Set<string>(removedImages);
    await updateRefs(ctx, refs =>
      Object.fromEntries(Object.entries(refs).filter(([, d]) => !gone.has(d))),
    );
    // mark what survivors reference, then sweep the rest (including leftovers of failed pulls)
    const blobs = new Set<string>();
    const layers = new Set<string>();
    for (const r of kept) {
      blobs.add(r.digest).add(r.config.digest);
      if (r.index !== undefined) blobs.add(r.index);
      for (const l of r.layers) {
        blobs.add(l.digest);
        layers.add(l.diffId);
      }
    }
    await sweep(ctx.paths.views, new Set(kept.map(r => r.digest)));
    for (const d of removedImages) await removeTree(viewDir(ctx.paths, d));
    const removedLayers = await sweep(ctx.paths.layers, layers);
    const removedBlobs = await sweep(ctx.paths.blobs, blobs);
    const freedBytes = Math.max(0, before - (await diskUsage(ctx.paths.root)));
    const report = {
      removedImages,
      removedLayers,
      removedBlobs,
      keptImages: kept.map(r => r.digest),
      freedBytes,
    };
    ctx.log.info({ ...report, keptImages: report.keptImages.length }, 'image gc');
    return report;
  });
}
