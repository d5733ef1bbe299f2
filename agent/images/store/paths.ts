// The store's on-disk layout. Everything under one root on one filesystem, so a rename from
// tmp/ into place is atomic and hardlinks from layers/ into views/ are possible.
import { join } from 'node:path';
import { digestHex, type Digest } from '../digest.ts';

/**
 * StorePaths names every directory of a store:
 * - `blobs/sha256/<hex>`: verified blobs (manifests, configs, compressed layers), content-addressed;
 * - `layers/<diffid hex>/fs` + `changes.json`: a layer unpacked once, shared by every image using it;
 * - `views/<image hex>/`: an image's merged tree (hardlinks into layers/), the overlay lowerdir;
 * - `images/<image hex>.json`: an image record (manifest, config, layer chain);
 * - `refs.json`: `registry/repo:tag` and `registry/repo@digest` → image digest;
 * - `leases/<hex>.json`: containers whose rootfs uses an image (survive agent restarts);
 * - `tmp/`: staging for atomic renames, emptied when the store opens.
 */
export interface StorePaths {
  readonly root: string;
  readonly blobs: string;
  readonly layers: string;
  readonly views: string;
  readonly images: string;
  readonly leases: string;
  readonly tmp: string;
  readonly refs: string;
}

/** storePaths lays out a store under `root`. */
export function storePaths(root: string): StorePaths {
  return {
    root,
    blobs: join(root, 'blobs', 'sha256'),
    layers: join(root, 'layers'),
    views: join(root, 'views'),
    images: join(root, 'images'),
    leases: join(root, 'leases'),
    tmp: join(root, 'tmp'),
    refs: join(root, 'refs.json'),
  };
}

/** blobPath is where a verified blob lives. */
export function blobPath(p: StorePaths, d: Digest): string {
  return join(p.blobs, digestHex(d));
}

/** layerDir is where a layer is unpacked (its `fs/` and `changes.json`). */
export function layerDir(p: StorePaths, diffId: Digest): string {
  return join(p.layers, digestHex(diffId));
}

/** viewDir is an image's merged tree. */
export function viewDir(p: StorePaths, image: Digest): string {
  return join(p.views, digestHex(image));
}

/** imageRecordPath is an image record's file. */
export function imageRecordPath(p: StorePaths, image: Digest): string {
  return join(p.images, `${digestHex(image)}.json`);
}
