// Unpacked layers, keyed by diff_id and shared by every image that lists it. A layer is unpacked
// into a private staging dir, its diff_id verified, its changes saved, and only then renamed to
// layers/<hex>; so a layer dir that exists is complete and verified.
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Digest } from '../digest.ts';
import { ImageNotFoundError } from '../errors.ts';
import { extractLayer } from '../extract/extract-layer.ts';
import type { LayerChanges } from '../extract/layer-writer.ts';
import type { Compression } from '../registry/media-types.ts';
import type { ViewLayer } from '../rootfs/build-view.ts';
import { exists, makeTempDir, moveDirIntoPlace, writeFileAtomic } from './atomic.ts';
import type { StoreContext } from './context.ts';
import { blobPath, layerDir } from './paths.ts';

const CHANGES = 'changes.json';

/** UnpackLayer names a verified blob and the diff_id its uncompressed tar must have. */
export interface UnpackLayer {
  readonly blob: Digest;
  readonly diffId: Digest;
  readonly compression: Compression;
}

/** ensureLayer unpacks a layer unless the store has it (by diff_id). */
export async function ensureLayer(ctx: StoreContext, u: UnpackLayer): Promise<void> {
  const dest = layerDir(ctx.paths, u.diffId);
  if (await exists(join(dest, CHANGES))) return;
  await ctx.mutex.run(`layer:${u.diffId}`, async () => {
    if (await exists(join(dest, CHANGES))) return;
    const staging = await makeTempDir(ctx.paths.tmp, 'layer');
    try {
      const started = ctx.clock.now();
      const changes = await extractLayer({
        source: createReadStream(blobPath(ctx.paths, u.blob)),
        compression: u.compression,
        dest: join(staging, 'fs'),
        diffId: u.diffId,
        chown: ctx.chown,
        warn: (msg, entry) => ctx.log.warn({ diffId: u.diffId, entry }, msg),
      });
      await writeFileAtomic(ctx.paths.tmp, join(staging, CHANGES), JSON.stringify(changes));
      await mkdir(ctx.paths.layers, { recursive: true });
      await moveDirIntoPlace(staging, dest);
      ctx.log.info({ diffId: u.diffId, ms: ctx.clock.now() - started }, 'layer unpacked');
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  });
}

/** readLayer returns an unpacked layer's tree and changes, for building a view. */
export async function readLayer(ctx: StoreContext, diffId: Digest): Promise<ViewLayer> {
  const dir = layerDir(ctx.paths, diffId);
  let text: string;
  try {
    text = await readFile(join(dir, CHANGES), 'utf8');
  } catch {
    throw new ImageNotFoundError(`layer ${diffId}`);
  }
  return { fs: join(dir, 'fs'), changes: JSON.parse(text) as LayerChanges };
}
