// The `/` of a no-image container: a skeleton of mount-point dirs, copies of the host's usrmerge
// symlinks and read-only binds of the host's system dirs (containers-here §2.6; runc cannot use
// the host `/` itself). runc mounts over the skeleton and makes it read-only, and writes into it
// only to create a mount point or the cwd that does not exist yet. So one skeleton, built once
// per agent with every standard mount point in it, serves every container whose mount points and
// cwd all exist in it or lie inside another mount (the sandbox, /tmp, /dev...): creating ~20
// directories and symlinks per container is the slowest part of a launch on a busy filesystem.
// Any other container (a volume at `/data`) gets a private skeleton, as before.
import { createHash } from 'node:crypto';
import { lstat, mkdir, readlink, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { OciSpec } from './oci-spec.ts';
import { SANDBOX_MOUNT } from './paths.ts';

/** DEFAULT_HOST_PATHS are the host paths a no-image container sees, read-only. */
export const DEFAULT_HOST_PATHS: readonly string[] = [
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/usr',
  '/etc',
];

const SKELETON_DIRS = ['proc', 'sys', 'dev', 'tmp', 'mnt', 'root', 'home', 'var', 'run'];

/** Skeleton is a built skeleton: where it is, the host dirs to bind, the dirs it holds. */
export interface Skeleton {
  readonly rootfs: string;
  readonly hostBinds: readonly string[];
  /** premade are the absolute container paths that exist in it as directories. */
  readonly premade: ReadonlySet<string>;
}

function exists(code: unknown): boolean {
  return code === 'EEXIST';
}

/**
 * prepareSkeleton builds (or completes: it is idempotent) the skeleton at `rootfs`: a host path
 * that is a symlink (`/bin -> usr/bin`) is copied as a symlink, a directory becomes a bind, a
 * missing one is skipped; `extraDirs` (container paths) are made as well.
 */
export async function prepareSkeleton(
  rootfs: string,
  hostPaths: readonly string[],
  extraDirs: readonly string[] = [],
): Promise<Skeleton> {
  await mkdir(rootfs, { recursive: true });
  const premade = new Set<string>(['/']);
  for (const d of [...SKELETON_DIRS.map(n => `/${n}`), ...extraDirs]) {
    await mkdir(join(rootfs, d), { recursive: true });
    // every parent of a made dir exists too
    for (let p = d; p !== '/' && p !== ''; p = p.slice(0, p.lastIndexOf('/')) || '/') {
      premade.add(p);
    }
  }
  const hostBinds: string[] = [];
  for (const p of hostPaths) {
    const st = await lstat(p).catch(() => undefined);
    if (st === undefined) continue;
    const inside = join(rootfs, p);
    if (st.isSymbolicLink()) {
      await symlink(await readlink(p), inside).catch((e: unknown) => {
        if (!exists((e as NodeJS.ErrnoException).code)) throw e;
      });
    } else if (st.isDirectory()) {
      await mkdir(inside, { recursive: true });
      hostBinds.push(p);
      premade.add(p);
    }
  }
  return { rootfs, hostBinds, premade };
}

/** sharedSkeletonDir is the shared skeleton for `hostPaths` (a new set of paths, a new one). */
export function sharedSkeletonDir(workDir: string, hostPaths: readonly string[]): string {
  const key = createHash('sha256').update(hostPaths.join('\n')).digest('hex').slice(0, 12);
  return join(workDir, 'skeletons', key);
}

/** buildSharedSkeleton builds the shared skeleton, with the sandbox mount point premade. */
export function buildSharedSkeleton(
  workDir: string,
  hostPaths: readonly string[],
): Promise<Skeleton> {
  return prepareSkeleton(sharedSkeletonDir(workDir, hostPaths), hostPaths, [SANDBOX_MOUNT]);
}

/**
 * fitsSkeleton is true when runc would create nothing in `skeleton` for `config`: each mount
 * point and the cwd either exists there or lies inside a mount made before it (mounts are made
 * in order). Paths are compared as written, so anything unusual (`..`, a path through a
 * symlink) does not fit, and gets a private skeleton.
 */
export function fitsSkeleton(config: OciSpec, skeleton: Skeleton): boolean {
  const mounted: string[] = [];
  const covered = (p: string): boolean =>
    skeleton.premade.has(p) || mounted.some(m => p.startsWith(`${m}/`));
  for (const m of config.mounts) {
    if (!covered(m.destination)) return false;
    mounted.push(m.destination);
  }
  return covered(config.process.cwd);
}
