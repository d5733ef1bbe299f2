// The container's `/` on the host for image tasks (no-image tasks get a skeleton, skeleton.ts): an
// overlay whose lower layer is the unpacked image, so runc's mount-point dirs and the task's
// writes land in a per-container upper dir and the shared image stays pristine (containers-here
// §2.5), plus the generated /etc files. `mount`/`umount` failures are mapped here.
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from './command.ts';
import { ContainerSpecError, RuntimeCommandError } from './errors.ts';
import type { ContainerPaths } from './paths.ts';

// overlayfs splits its options on `,` and lowerdir on `:`; such paths cannot be passed safely.
function overlayPath(p: string, field: string): string {
  if (/[,:\n]/.test(p)) throw new ContainerSpecError(field, `"${p}" must not contain , or :`);
  return p;
}

/** mountOverlay mounts `lower` (read-only) + the container's upper/work dirs at its rootfs. */
export async function mountOverlay(lower: string, paths: ContainerPaths): Promise<void> {
  const st = await stat(lower).catch(() => undefined);
  if (st?.isDirectory() !== true) {
    throw new ContainerSpecError('rootfs.path', `"${lower}" is not a directory`);
  }
  for (const d of [paths.overlayUpper, paths.overlayWork, paths.rootfs]) {
    await mkdir(d, { recursive: true });
  }
  const opts = [
    `lowerdir=${overlayPath(lower, 'rootfs.path')}`,
    `upperdir=${overlayPath(paths.overlayUpper, 'workDir')}`,
    `workdir=${overlayPath(paths.overlayWork, 'workDir')}`,
  ].join(',');
  const r = await runCommand('mount', ['-t', 'overlay', 'overlay', '-o', opts, paths.rootfs]);
  if (r.code !== 0) throw new RuntimeCommandError('mount overlay', r.code, r.stderr.trim());
}

// mountinfo escapes space, tab, newline and backslash as octal.
function unescapeMountPath(p: string): string {
  return p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** mountPointsUnder lists this host's mount points at or below `dir`, deepest first. */
export async function mountPointsUnder(dir: string): Promise<string[]> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  const points = info
    .split('\n')
    .map(line => unescapeMountPath(line.split(' ')[4] ?? ''))
    .filter(p => p === dir || p.startsWith(`${dir}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** unmountAll unmounts everything at or below `dir` (the overlay), deepest first. */
export async function unmountAll(dir: string): Promise<void> {
  for (const p of await mountPointsUnder(dir)) {
    const r = await runCommand('umount', [p]);
    if (r.code !== 0 && (await mountPointsUnder(p)).includes(p)) {
      throw new RuntimeCommandError(`umount ${p}`, r.code, r.stderr.trim());
    }
  }
}

/** EtcFile is a generated file bound read-only over an image's /etc entry. */
export interface EtcFile {
  readonly source: string;
  readonly destination: string;
}

/**
 * writeEtcFiles gives an image container a hostname file, a hosts file (the host's in `host`
 * mode, one naming the container on loopback in `own` mode) and the host's resolv.conf.
 */
export async function writeEtcFiles(
  paths: ContainerPaths,
  hostname: string,
  ownNetwork: boolean,
): Promise<EtcFile[]> {
  await mkdir(paths.etcDir, { recursive: true });
  const hostnameFile = join(paths.etcDir, 'hostname');
  await writeFile(hostnameFile, `${hostname}\n`);
  const files: EtcFile[] = [{ source: hostnameFile, destination: '/etc/hostname' }];
  if (ownNetwork) {
    const hosts = join(paths.etcDir, 'hosts');
    await writeFile(hosts, `127.0.0.1\tlocalhost ${hostname}\n::1\tlocalhost ip6-localhost\n`);
    files.push({ source: hosts, destination: '/etc/hosts' });
  } else if (await exists('/etc/hosts')) {
    files.push({ source: '/etc/hosts', destination: '/etc/hosts' });
  }
  if (await exists('/etc/resolv.conf')) {
    files.push({ source: '/etc/resolv.conf', destination: '/etc/resolv.conf' });
  }
  return files;
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}
