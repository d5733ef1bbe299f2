// `volume/host_path` with force creation (Mesos 1.8, mesos-features §8.3): a host path that does
// not exist is created, as a directory, only when it lies under one of the agent's allowed parent
// directories (`--host_path_volume_force_creation`); otherwise the launch fails with Mesos's
// message.
import { mkdir, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { isUnder, missing, resolveExisting, VolumeError } from './volumes-paths.ts';

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e) {
    if (missing(e)) return false;
    throw e;
  }
}

/**
 * prepareHostPath returns the normalized host path of a HOST_PATH volume, creating it first when
 * it is missing and allowed. Rules: the path must be absolute; it is normalized (`..` removed)
 * before anything else; an existing path is used as it is (file or directory); a missing one is
 * created with `mkdir -p` only when it lies strictly below an entry of `allowedParents`, and only
 * when, symlinks resolved, it is still below that parent (so a symlink inside an allowed
 * directory cannot make the agent create directories elsewhere).
 * Throws VolumeError with Mesos's messages otherwise.
 */
export async function prepareHostPath(
  hostPath: string,
  allowedParents: readonly string[],
): Promise<string> {
  if (!isAbsolute(hostPath)) {
    throw new VolumeError(`Path '${hostPath}' in HOST_PATH volume is not absolute`);
  }
  const path = resolve(hostPath);
  if (await exists(path)) return path;
  if (allowedParents.length === 0) {
    throw new VolumeError(`Path '${path}' in HOST_PATH volume does not exist`);
  }
  const parent = allowedParents
    .filter(p => isAbsolute(p))
    .map(p => resolve(p))
    .find(p => p !== path && isUnder(path, p));
  if (parent === undefined) {
    throw new VolumeError(
      `Path '${path}' in HOST_PATH volume does not exist and is not whitelisted for creation`,
    );
  }
  const [real, realParent] = await Promise.all([resolveExisting(path), resolveExisting(parent)]);
  if (!isUnder(real, realParent)) {
    throw new VolumeError(
      `Path '${path}' in HOST_PATH volume leaves the whitelisted '${parent}' through a symlink`,
    );
  }
  // Mesos treats a missing host path as a directory, always.
  await mkdir(path, { recursive: true, mode: 0o755 });
  return path;
}
