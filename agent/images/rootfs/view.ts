// Image views: an image's merged tree under views/<hex>, built once and shared by every
// container of the image. A runtime that mounts its own overlay leases the view (leaseView);
// prepareRootfs does the same and mounts one itself.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Digest } from '../digest.ts';
import { ImageNotFoundError } from '../errors.ts';
import { exists, makeTempDir, moveDirIntoPlace } from '../store/atomic.ts';
import type { StoreContext } from '../store/context.ts';
import { readLayer } from '../store/layers.ts';
import { addLease, readLease, removeLease } from '../store/leases.ts';
import { viewDir } from '../store/paths.ts';
import { readImageRecord, writeImageRecord, type ImageRecord } from '../store/records.ts';
import { buildView } from './build-view.ts';

/** LeasedView is an image's tree, kept from GC until `release` (idempotent) is called. */
export interface LeasedView {
  /** path is the merged tree: use it read-only, e.g. as an overlay lowerdir. */
  readonly path: string;
  release(): Promise<void>;
}

/** ensureView builds an image's merged tree once (staged in tmp/, then renamed); returns its path. */
export async function ensureView(ctx: StoreContext, record: ImageRecord): Promise<string> {
  const dest = viewDir(ctx.paths, record.digest);
  if (await exists(dest)) return dest;
  return ctx.mutex.run(`view:${record.digest}`, async () => {
    if (await exists(dest)) return dest;
    const staging = await makeTempDir(ctx.paths.tmp, 'view');
    try {
      const layers = [];
      for (const l of record.layers) layers.push(await readLayer(ctx, l.diffId));
      await buildView(layers, join(staging, 'tree'), { chown: ctx.chown });
      await mkdir(ctx.paths.views, { recursive: true });
      await moveDirIntoPlace(join(staging, 'tree'), dest);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    return dest;
  });
}

/**
 * leaseView returns an image's view and records a lease for `holder` (a container dir or id; one
 * lease per holder), so GC keeps the image, across agent restarts too, until it is released.
 */
export function leaseView(ctx: StoreContext, image: Digest, holder: string): Promise<LeasedView> {
  return ctx.gcLock.read(() => leaseViewLocked(ctx, image, holder));
}

/** leaseViewLocked is leaseView for a caller already holding the GC read lock. */
export async function leaseViewLocked(
  ctx: StoreContext,
  image: Digest,
  holder: string,
): Promise<LeasedView> {
  const record = await readImageRecord(ctx, image);
  if (record === undefined) throw new ImageNotFoundError(image);
  // lease first: from here on GC keeps the image even if the agent dies mid-way
  await addLease(ctx, { image, holder, createdAt: ctx.clock.now() });
  await writeImageRecord(ctx, { ...record, lastUsedAt: ctx.clock.now() });
  try {
    return { path: await ensureView(ctx, record), release: () => releaseLease(ctx, holder) };
  } catch (e) {
    await removeLease(ctx, holder);
    throw e;
  }
}

/**
 * releaseLease drops a holder's lease (missing is fine) and marks its image used now, so a GC
 * pass that spares recently used images counts from the end of the last container, not its start.
 */
export function releaseLease(ctx: StoreContext, holder: string): Promise<void> {
  return ctx.gcLock.read(async () => {
    const lease = await readLease(ctx, holder);
    if (lease === undefined) return;
    const record = await readImageRecord(ctx, lease.image);
    if (record !== undefined)
      await writeImageRecord(ctx, { ...record, lastUsedAt: ctx.clock.now() });
    await removeLease(ctx, holder);
  });
}
