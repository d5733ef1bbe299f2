// The container's mount table, in the order runc applies it: kernel filesystems first, then the
// host binds of a no-image rootfs, then /tmp, the sandbox and the caller's volumes last (so a
// volume may land inside /tmp or the sandbox). Pure: paths in, OCI mounts out.
import { isAbsolute, posix } from 'node:path';
import { ContainerSpecError } from './errors.ts';
import type { OciMount } from './oci-spec.ts';
import { SANDBOX_MOUNT } from './paths.ts';
import type { BindVolume } from './types.ts';

/** KERNEL_MOUNTS are /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue, read-only /sys and cgroupfs. */
export const KERNEL_MOUNTS: readonly OciMount[] = [
  { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
  {
    destination: '/dev',
    type: 'tmpfs',
    source: 'tmpfs',
    options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
  },
  {
    destination: '/dev/pts',
    type: 'devpts',
    source: 'devpts',
    options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
  },
  {
    destination: '/dev/shm',
    type: 'tmpfs',
    source: 'shm',
    options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'],
  },
  { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec'] },
  {
    destination: '/sys',
    type: 'sysfs',
    source: 'sysfs',
    options: ['nosuid', 'noexec', 'nodev', 'ro'],
  },
  {
    destination: '/sys/fs/cgroup',
    type: 'cgroup',
    source: 'cgroup',
    options: ['nosuid', 'noexec', 'nodev', 'relatime', 'ro'],
  },
];

const TMP_MOUNT: OciMount = {
  destination: '/tmp',
  type: 'tmpfs',
  source: 'tmpfs',
  options: ['nosuid', 'nodev', 'mode=1777'],
};

// Mounting over these would undo the masks and read-only paths that keep the host safe.
const FORBIDDEN = ['/proc', '/sys', '/dev'];

/** bind is an rbind mount, read-only or read-write. */
export function bind(source: string, destination: string, readOnly: boolean): OciMount {
  return { destination, type: 'bind', source, options: ['rbind', readOnly ? 'ro' : 'rw'] };
}

/**
 * volumeDestination resolves a volume's container path: relative paths are inside the sandbox
 * (Mesos), `..` is refused, and nothing may be mounted on `/` or under /proc, /sys or /dev.
 */
export function volumeDestination(containerPath: string, field: string): string {
  if (containerPath === '') throw new ContainerSpecError(field, 'must not be empty');
  if (containerPath.split('/').includes('..')) {
    throw new ContainerSpecError(field, `"${containerPath}" must not contain ".."`);
  }
  const dest = posix.normalize(
    posix.isAbsolute(containerPath) ? containerPath : posix.join(SANDBOX_MOUNT, containerPath),
  );
  const trimmed = dest.length > 1 ? dest.replace(/\/+$/, '') : dest;
  if (trimmed === '/') throw new ContainerSpecError(field, 'cannot mount over /');
  if (FORBIDDEN.some(f => trimmed === f || trimmed.startsWith(`${f}/`))) {
    throw new ContainerSpecError(field, `"${containerPath}" is under a kernel filesystem`);
  }
  return trimmed;
}

/** MountPlan is what the container's mount table is built from. */
export interface MountPlan {
  /** Host directories bound read-only at the same path (the no-image skeleton). */
  readonly hostBinds: readonly string[];
  /** Generated /etc files bound read-only (hosts, hostname, resolv.conf of an image rootfs). */
  readonly etcFiles: readonly { readonly source: string; readonly destination: string }[];
  readonly sandboxDir: string;
  readonly volumes: readonly BindVolume[];
}

/** buildMounts lays out the whole mount table. */
export function buildMounts(plan: MountPlan): OciMount[] {
  const mounts: OciMount[] = [...KERNEL_MOUNTS.map(m => ({ ...m, options: [...m.options] }))];
  for (const p of plan.hostBinds) mounts.push(bind(p, p, true));
  for (const f of plan.etcFiles) mounts.push(bind(f.source, f.destination, true));
  mounts.push({ ...TMP_MOUNT, options: [...TMP_MOUNT.options] });
  mounts.push(bind(plan.sandboxDir, SANDBOX_MOUNT, false));
  plan.volumes.forEach((v, i) => {
    const field = `volumes[${i}]`;
    if (!isAbsolute(v.hostPath)) {
      throw new ContainerSpecError(`${field}.hostPath`, `"${v.hostPath}" must be absolute`);
    }
    const dest = volumeDestination(v.containerPath, `${field}.containerPath`);
    mounts.push(bind(v.hostPath, dest, v.readOnly === true));
  });
  return mounts;
}
