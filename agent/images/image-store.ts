// The image store as the agent sees it: one object per store directory, wired here from the
// pieces in registry/, store/, extract/ and rootfs/.
import { mkdir, rm } from 'node:fs/promises';
import type { Clock } from '../../core/util/clock.ts';
import { systemClock } from '../../core/util/clock.ts';
import { isDigest, type Digest } from './digest.ts';
import { ImageNotFoundError } from './errors.ts';
import { parseImageConfig, type ImageConfig } from './image-config.ts';
import { pullImage } from './pull.ts';
import { parseReference, repositoryName, type ReferenceOptions } from './reference.ts';
import type { Credentials } from './registry/auth.ts';
import type { Platform } from './registry/manifest.ts';
import { currentPlatform } from './registry/platform.ts';
import { createRegistryClient, type RegistryClient } from './registry/registry-client.ts';
import { prepareRootfs, releaseRootfs, type PreparedRootfs } from './rootfs/prepare.ts';
import {
  ensureView,
  leaseView,
  leaseViewLocked,
  releaseLease,
  type LeasedView,
} from './rootfs/view.ts';
import { readBlob } from './store/blobs.ts';
import { newStoreContext, silentImageLogger, type ImageLogger } from './store/context.ts';
import { collectGarbage, type GcOptions, type GcReport } from './store/gc.ts';
import { storePaths } from './store/paths.ts';
import { listImageRecords, readImageRecord, readRefs, type ImageRecord } from './store/records.ts';
import { diskUsage } from './store/usage.ts';

/** ImageStoreOptions configure a store; only `root` is required. */
export interface ImageStoreOptions {
  /** root is the store directory; it must be on a filesystem that overlayfs accepts as upper. */
  readonly root: string;
  /** defaultRegistry for references without one (default `docker.io`); may carry `http://`. */
  readonly defaultRegistry?: string;
  readonly credentials?: (registry: string) => Credentials | undefined;
  /** client replaces the built-in registry client (tests). */
  readonly client?: RegistryClient;
  readonly platform?: Platform;
  readonly log?: ImageLogger;
  readonly clock?: Clock;
  /** chown applies layer owners; default: when running as root. */
  readonly chown?: boolean;
}

/** AcquiredImage is an image found or pulled, with its view leased to a holder. */
export interface AcquiredImage {
  readonly record: ImageRecord;
  readonly view: LeasedView;
}

/** ImageStore pulls, keeps, assembles and collects images under one directory. */
export interface ImageStore {
  readonly root: string;
  /** pull fetches and verifies an image (schema2, OCI manifest or index) and unpacks its layers. */
  pull(reference: string, signal?: AbortSignal): Promise<ImageRecord>;
  /** resolve looks a reference (tag or digest) up in the store, without the network. */
  resolve(reference: string): Promise<ImageRecord | undefined>;
  /** get returns the record of an image by digest. */
  get(image: Digest): Promise<ImageRecord | undefined>;
  list(): Promise<ImageRecord[]>;
  /** config returns an image's parsed config (process defaults, diff_ids). */
  config(image: Digest): Promise<ImageConfig>;
  /** prepareRootfs mounts an overlay rootfs for a container at `<containerDir>/rootfs`. */
  prepareRootfs(image: Digest, containerDir: string): Promise<PreparedRootfs>;
  /**
   * leaseView returns an image's merged tree for a runtime that mounts its own overlay, and keeps
   * the image from GC under `holder` (a container dir or id) until released.
   */
  leaseView(image: Digest, holder: string): Promise<LeasedView>;
  /**
   * acquire is resolve (or pull when the store lacks the image) then leaseView, all under one GC
   * read lock, so no collection can take the image between the lookup and the lease.
   */
  acquire(reference: string, holder: string, signal?: AbortSignal): Promise<AcquiredImage>;
  /**
   * releaseLease drops a holder's lease (e.g. one found after an agent restart) and marks the
   * image used now, for GC's `maxUnusedAgeMs`.
   */
  releaseLease(holder: string): Promise<void>;
  /** releaseRootfs undoes prepareRootfs for a dir, e.g. one found after an agent restart. */
  releaseRootfs(containerDir: string): Promise<void>;
  /** gc removes images not kept (see GcOptions) and whatever only they referenced. */
  gc(opts: GcOptions): Promise<GcReport>;
  /** usage is the bytes the store occupies on disk. */
  usage(): Promise<number>;
}

/**
 * openImageStore creates the layout if needed and empties tmp/ (staging left by a crash). One
 * agent process per store: the in-process locks do not span processes (renames stay atomic).
 */
export async function openImageStore(opts: ImageStoreOptions): Promise<ImageStore> {
  const paths = storePaths(opts.root);
  await rm(paths.tmp, { recursive: true, force: true });
  for (const d of [paths.blobs, paths.layers, paths.views, paths.images, paths.leases, paths.tmp])
    await mkdir(d, { recursive: true, mode: 0o700 });
  const ctx = newStoreContext({
    paths,
    chown: opts.chown ?? process.getuid?.() === 0,
    log: opts.log ?? silentImageLogger,
    clock: opts.clock ?? systemClock,
  });
  const client =
    opts.client ?? createRegistryClient(opts.credentials ? { credentials: opts.credentials } : {});
  const refOpts: ReferenceOptions =
    opts.defaultRegistry === undefined ? {} : { defaultRegistry: opts.defaultRegistry };
  const platform = opts.platform ?? currentPlatform();
  const refKey = (text: string): string => {
    const ref = parseReference(text, refOpts);
    return ref.digest === undefined
      ? `${repositoryName(ref)}:${ref.tag ?? 'latest'}`
      : `${repositoryName(ref)}@${ref.digest}`;
  };

  // pullLocked pulls under the GC read lock its caller holds
  const pullLocked = async (reference: string, signal?: AbortSignal): Promise<ImageRecord> => {
    const record = await pullImage(ctx, {
      client,
      reference: parseReference(reference, refOpts),
      platform,
      signal,
    });
    // build the view now, so a pulled image is ready to run and a bad one fails at pull time
    await ensureView(ctx, record);
    return record;
  };
  const resolve = async (reference: string): Promise<ImageRecord | undefined> => {
    const digest = (await readRefs(ctx))[refKey(reference)];
    return digest === undefined ? undefined : readImageRecord(ctx, digest);
  };
  return {
    root: opts.root,
    pull: (reference, signal) => ctx.gcLock.read(() => pullLocked(reference, signal)),
    resolve,
    get: image => readImageRecord(ctx, image),
    list: () => listImageRecords(ctx),
    async config(image) {
      const record = await readImageRecord(ctx, image);
      if (record === undefined) throw new ImageNotFoundError(image);
      return parseImageConfig(await readBlob(ctx, record.config.digest));
    },
    prepareRootfs: (image, containerDir) => prepareRootfs(ctx, image, containerDir),
    releaseRootfs: containerDir => releaseRootfs(ctx, containerDir),
    leaseView: (image, holder) => leaseView(ctx, image, holder),
    releaseLease: holder => releaseLease(ctx, holder),
    // one read lock over lookup, pull and lease: no GC pass can come between them
    acquire: (reference, holder, signal) =>
      ctx.gcLock.read(async () => {
        const record = (await resolve(reference)) ?? (await pullLocked(reference, signal));
        return { record, view: await leaseViewLocked(ctx, record.digest, holder) };
      }),
    gc: gcOpts =>
      collectGarbage(ctx, {
        ...gcOpts,
        // excluded references are normalised like pulled ones (`busybox` → docker.io/library/busybox:latest)
        excludedImages: (gcOpts.excludedImages ?? []).map(x => (isDigest(x) ? x : refKey(x))),
      }),
    usage: () => diskUsage(paths.root),
  };
}
