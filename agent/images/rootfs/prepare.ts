// A container's rootfs: an overlay whose only lowerdir is the image's view (shared by every
// container of the image, never written), with upper/ and work/ private to the container:
//   <containerDir>/rootfs  the mount point handed to runc as root.path
//   <containerDir>/upper   the container's writes
//   <containerDir>/work    overlay's scratch dir
import { chmod, chown, lstat, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Digest } from '../digest.ts';
import type { StoreContext } from '../store/context.ts';
import { isMountPoint, mountOverlay, unmount } from './overlay.ts';
import { leaseView, releaseLease } from './view.ts';

/** PreparedRootfs is a mounted rootfs and the way to take it down again. */
export interface PreparedRootfs {
  readonly rootfs: string;
  /** cleanup unmounts, removes upper/work/rootfs and the lease; safe to call twice. */
  cleanup(): Promise<void>;
}

/** releaseRootfs tears down what prepareRootfs built in `containerDir` (idempotent). */
export async function releaseRootfs(ctx: StoreContext, containerDir: string): Promise<void> {
  await unmount(join(containerDir, 'rootfs'));
  for (const d of ['rootfs', 'upper', 'work'])
    await rm(join(containerDir, d), { recursive: true, force: true });
  await releaseLease(ctx, containerDir);
}

/**
 * prepareRootfs mounts `<containerDir>/rootfs` for an image in the store (by digest), leasing
 * the image under `containerDir` so GC keeps it. Calling it again for a dir that is still mounted
 * returns the existing mount (e.g. after an agent restart).
 */
export async function prepareRootfs(
  ctx: StoreContext,
  image: Digest,
  containerDir: string,
): Promise<PreparedRootfs> {
  const view = await leaseView(ctx, image, containerDir);
  const rootfs = join(containerDir, 'rootfs');
  const done = { rootfs, cleanup: () => releaseRootfs(ctx, containerDir) };
  try {
    if (await isMountPoint(rootfs)) return done;
    const upper = join(containerDir, 'upper');
    for (const d of [rootfs, upper, join(containerDir, 'work')])
      await mkdir(d, { recursive: true, mode: 0o755 });
    // overlay shows the upper dir's owner and mode for `/`: make them the image's
    const top = await lstat(view.path);
    await chown(upper, top.uid, top.gid);
    await chmod(upper, top.mode & 0o7777);
    await mountOverlay({
      lower: [view.path],
      upper,
      work: join(containerDir, 'work'),
      target: rootfs,
    });
    return done;
  } catch (e) {
    await releaseRootfs(ctx, containerDir);
    throw e;
  }
}
