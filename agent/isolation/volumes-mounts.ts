// A task's `volumes` (core/types/task-template.ts VolumeMount) → OCI mount entries: host paths
// (created under the whitelist), sandbox paths (this task's or its group's sandbox) and
// persistent volumes. A relative container path is inside the container's sandbox mount.
import { mkdir, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { VolumeMount } from '../../core/types/task-template.ts';
import { prepareHostPath } from './volumes-host-path.ts';
import type { OciMount } from './volumes-paths.ts';
import { bindMount, isUnder, joinInside, resolveExisting, VolumeError } from './volumes-paths.ts';

/** VolumeContext is what the agent knows about the task being launched. */
export interface VolumeContext {
  /** The task's sandbox on the host. */
  readonly sandboxDir: string;
  /** Where the sandbox is mounted in the container; default DEFAULT_CONTAINER_SANDBOX. */
  readonly containerSandbox?: string;
  /** The task group's sandbox on the host, for `sandboxPath.type: PARENT`. */
  readonly parentSandboxDir?: string;
  /** Parents under which a missing host path may be created (empty: never create). */
  readonly allowedHostParents?: readonly string[];
  /**
   * Host directory of a persistent volume, from the Volume object's name (the agent reads the
   * object and calls `PersistentVolumeStore.pathOf`). Undefined when the agent has no such volume.
   */
  readonly persistentVolumePath?: (name: string) => string | undefined;
}

/** DEFAULT_CONTAINER_SANDBOX is where Mesos (and the runtime) mount the sandbox. */
export const DEFAULT_CONTAINER_SANDBOX = '/mnt/mesos/sandbox';

/**
 * PreparedVolume is a volume whose host side is ready: the shape of the runtime's BindVolume
 * (`containerPath` as the task wrote it, checked not to climb out of the sandbox).
 */
export interface PreparedVolume {
  readonly hostPath: string;
  readonly containerPath: string;
  readonly readOnly: boolean;
}

function destination(v: VolumeMount, ctx: VolumeContext): string {
  if (!isAbsolute(v.containerPath)) {
    const base = ctx.containerSandbox ?? DEFAULT_CONTAINER_SANDBOX;
    return joinInside(base, v.containerPath, 'container path');
  }
  const dest = resolve(v.containerPath);
  if (dest === '/')
    throw new VolumeError(`container path '${v.containerPath}' would hide the root`);
  return dest;
}

// A sandbox path must not leave the sandbox, lexically nor through a symlink the task made.
async function sandboxSource(v: VolumeMount, ctx: VolumeContext): Promise<string> {
  const sp = v.sandboxPath;
  if (sp === undefined) throw new VolumeError('sandboxPath missing');
  const base = (sp.type ?? 'SELF') === 'SELF' ? ctx.sandboxDir : ctx.parentSandboxDir;
  if (base === undefined) {
    throw new VolumeError(
      `sandbox path '${sp.path}' names the PARENT sandbox of a task with no group`,
    );
  }
  const source = joinInside(base, sp.path, 'sandbox path');
  const [real, realBase] = await Promise.all([resolveExisting(source), resolveExisting(base)]);
  if (!isUnder(real, realBase)) {
    throw new VolumeError(`sandbox path '${sp.path}' leaves the sandbox through a symlink`);
  }
  // Mesos creates a missing SANDBOX_PATH source as a directory.
  await mkdir(real, { recursive: true });
  return real;
}

async function persistentSource(name: string, ctx: VolumeContext): Promise<string> {
  const path = ctx.persistentVolumePath?.(name);
  if (path === undefined) throw new VolumeError(`Persistent volume '${name}' is not on this agent`);
  try {
    await stat(path);
  } catch {
    throw new VolumeError(`Persistent volume '${name}' has no directory at ${path}`);
  }
  return path;
}

async function source(v: VolumeMount, ctx: VolumeContext): Promise<string> {
  if (v.hostPath !== undefined)
    return prepareHostPath(v.hostPath.path, ctx.allowedHostParents ?? []);
  if (v.sandboxPath !== undefined) return sandboxSource(v, ctx);
  if (v.persistentVolume !== undefined) return persistentSource(v.persistentVolume.name, ctx);
  throw new VolumeError(`volume at '${v.containerPath}' has no source`);
}

function depth(path: string): number {
  return path.split('/').filter(Boolean).length;
}

/**
 * prepareVolumes readies the host side of every volume of a task, in order: host paths exist
 * (created under the whitelist), sandbox-path sources exist inside their sandbox, persistent
 * volumes have their directory. The result is ordered parents first (by container path depth,
 * stable), so a volume nested in another stays visible. Throws VolumeError naming the first
 * volume that cannot be mounted; what was prepared before it (created directories) stays.
 */
export async function prepareVolumes(
  volumes: readonly VolumeMount[],
  ctx: VolumeContext,
): Promise<PreparedVolume[]> {
  const out: { dest: string; volume: PreparedVolume }[] = [];
  for (const v of volumes) {
    const dest = destination(v, ctx); // refuses a bad container path before touching the host
    const hostPath = await source(v, ctx);
    out.push({
      dest,
      volume: { hostPath, containerPath: v.containerPath, readOnly: v.mode === 'RO' },
    });
  }
  // Parents first, as in volumeMounts: the runtime mounts them in this order.
  return out.sort((a, b) => depth(a.dest) - depth(b.dest)).map(o => o.volume);
}

/**
 * volumeMounts is prepareVolumes as OCI bind mounts (RW unless RO), ordered parents first so a
 * volume nested in another stays visible. Append them after the sandbox mount: relative
 * container paths land inside it.
 */
export async function volumeMounts(
  volumes: readonly VolumeMount[],
  ctx: VolumeContext,
): Promise<OciMount[]> {
  const out: OciMount[] = [];
  for (const v of volumes) {
    const dest = destination(v, ctx);
    out.push(bindMount(await source(v, ctx), dest, v.mode ?? 'RW'));
  }
  // A stable sort keeps the task's order among mounts of the same depth.
  return out.sort((a, b) => depth(a.destination) - depth(b.destination));
}

/** sandboxMount is the OCI mount of the task's own sandbox at its container path. */
export function sandboxMount(ctx: VolumeContext): OciMount {
  return bindMount(
    ctx.sandboxDir,
    join('/', ctx.containerSandbox ?? DEFAULT_CONTAINER_SANDBOX),
    'RW',
  );
}
