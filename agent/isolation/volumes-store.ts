// Persistent volume directories (mesos-features §3.2), in Mesos's layout so an operator finds
// them where Mesos would put them: `<workDir>/volumes/roles/<role>/<persistenceId>` for the root
// disk, `<root>/volumes/roles/<role>/<id>` for a PATH disk, the mount root itself for a MOUNT
// disk. A `/` in a hierarchical role becomes a space, as in Mesos, so `a/b` never nests under `a`.
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { ResourceItem, VolumeMode } from '../../core/types/resources.ts';
import type { OciMount } from './volumes-paths.ts';
import { bindMount, validateId, VolumeError } from './volumes-paths.ts';
import { assertNever } from '../../core/util/assert-never.ts';

/** VolumeInUseError refuses to destroy a volume a task still uses (Mesos's exact message). */
export class VolumeInUseError extends VolumeError {
  constructor(id: string) {
    super(`Persistent volumes in use: '${id}'`);
    this.name = 'VolumeInUseError';
  }
}

/** StoredVolume is one volume directory found on disk. */
export interface StoredVolume {
  readonly role: string;
  readonly persistenceId: string;
  readonly path: string;
}

/** VolumeRef identifies a persistent volume: its role and persistence id. */
export interface VolumeRef {
  readonly role: string;
  readonly persistenceId: string;
}

function checkRef(ref: VolumeRef): void {
  const bad = validateId(ref.persistenceId);
  if (bad !== undefined) throw new VolumeError(`invalid persistence id: ${bad}`);
  // A role is validated by core; here only what would break the path matters.
  if (ref.role === '' || ref.role.includes(' ') || ref.role.split('/').some(p => validateId(p))) {
    throw new VolumeError(`invalid role '${ref.role}' for a persistent volume`);
  }
}

/**
 * PersistentVolumeStore creates, locates and destroys persistent volume directories. Data in a
 * volume outlives every task that mounts it; only `destroy` removes it.
 */
export class PersistentVolumeStore {
  readonly #workDir: string;

  constructor(workDir: string) {
    this.#workDir = workDir;
  }

  /** path is the directory of a root-disk volume (Mesos `getPersistentVolumePath`). */
  path(ref: VolumeRef, root: string = this.#workDir): string {
    checkRef(ref);
    return join(root, 'volumes', 'roles', ref.role.replaceAll('/', ' '), ref.persistenceId);
  }

  /**
   * pathOf is the directory of a volume given as a disk resource: its role is the last
   * reservation's, its id `disk.persistence.id`; a PATH or MOUNT source (a relative root is under
   * the work dir) moves it as described above. BLOCK and RAW disks hold no directory: VolumeError.
   */
  pathOf(volume: ResourceItem): string {
    const role = volume.reservations?.at(-1)?.role;
    const persistenceId = volume.disk?.persistence?.id;
    if (role === undefined || persistenceId === undefined) {
      throw new VolumeError(`resource '${volume.name}' is not a reserved persistent volume`);
    }
    const source = volume.disk?.source;
    const type = source?.type ?? 'ROOT';
    const root =
      source?.root === undefined || isAbsolute(source.root)
        ? source?.root
        : join(this.#workDir, source.root);
    switch (type) {
      case 'ROOT':
        return this.path({ role, persistenceId });
      case 'PATH':
        if (root === undefined)
          throw new VolumeError(`PATH disk of '${persistenceId}' has no root`);
        return this.path({ role, persistenceId }, root);
      case 'MOUNT':
        if (root === undefined)
          throw new VolumeError(`MOUNT disk of '${persistenceId}' has no root`);
        checkRef({ role, persistenceId });
        return root;
      case 'BLOCK':
      case 'RAW':
        throw new VolumeError(`a ${type} disk cannot hold a persistent volume directory`);
      default:
        return assertNever(type, 'disk source type');
    }
  }

  /**
   * create makes the directories of a CREATE operation's volumes (mode 0750, like a sandbox) and
   * returns their paths. Idempotent: an agent replaying a checkpointed CREATE after a restart
   * finds the directory there, with its data.
   */
  async create(volumes: readonly ResourceItem[]): Promise<string[]> {
    const paths = volumes.map(v => this.pathOf(v));
    for (const p of paths) await mkdir(p, { recursive: true, mode: 0o750 });
    return paths;
  }

  /**
   * destroy deletes a volume's data (DESTROY). `inUse` is the caller's answer to "does a running
   * or pending task use it": then VolumeInUseError and nothing is touched. A MOUNT disk keeps its
   * root directory and loses only its contents. Returns false when there was nothing to delete.
   */
  async destroy(volume: ResourceItem, inUse: boolean): Promise<boolean> {
    const p = this.pathOf(volume);
    if (inUse) throw new VolumeInUseError(volume.disk?.persistence?.id ?? p);
    try {
      await stat(p);
    } catch {
      return false;
    }
    if (volume.disk?.source?.type === 'MOUNT') {
      for (const name of await readdir(p))
        await rm(join(p, name), { recursive: true, force: true });
    } else {
      await rm(p, { recursive: true, force: true });
    }
    return true;
  }

  /** list finds the root-disk volumes on disk (for recovery after an agent restart). */
  async list(): Promise<StoredVolume[]> {
    const rolesDir = join(this.#workDir, 'volumes', 'roles');
    const out: StoredVolume[] = [];
    for (const dir of await readdir(rolesDir).catch(() => [] as string[])) {
      const role = dir.replaceAll(' ', '/');
      for (const id of await readdir(join(rolesDir, dir))) {
        out.push({ role, persistenceId: id, path: join(rolesDir, dir, id) });
      }
    }
    return out.sort((a, b) => a.path.localeCompare(b.path));
  }

  /** mount is the OCI bind mount of a volume at `containerPath` (RW unless RO is asked for). */
  mount(volume: ResourceItem, containerPath: string, mode: VolumeMode = 'RW'): OciMount {
    return bindMount(this.pathOf(volume), containerPath, mode);
  }
}
