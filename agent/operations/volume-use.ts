// Whether a persistent volume is in use by a task of this agent that has not ended: the task
// holds it in its allocated resources, or mounts the Volume object that records it. A volume is
// known by its persistence id within its role, as in Mesos.
import type { ResourceItem } from '../../core/types/resources.ts';
import type { Task } from '../../core/types/task.ts';
import type { Volume } from '../../core/types/volume.ts';

const sameVolume = (a: ResourceItem, b: ResourceItem): boolean =>
  a.disk?.persistence?.id !== undefined &&
  a.disk.persistence.id === b.disk?.persistence?.id &&
  a.reservations?.at(-1)?.role === b.reservations?.at(-1)?.role;

/** VolumeUseQuery is the volume and the tasks to look through. */
export interface VolumeUseQuery {
  readonly volume: ResourceItem;
  readonly tasks: readonly Task[];
  readonly lookupVolume: (name: string, signal: AbortSignal) => Promise<Volume | undefined>;
  readonly signal: AbortSignal;
}

/** volumeInUse tells whether any of the tasks holds or mounts the volume. */
export async function volumeInUse(q: VolumeUseQuery): Promise<boolean> {
  const { volume, tasks, lookupVolume, signal } = q;
  for (const t of tasks) {
    if ((t.spec.allocatedResources ?? []).some(r => sameVolume(r, volume))) return true;
    for (const v of t.spec.volumes ?? []) {
      const name = v.persistentVolume?.name;
      if (name === undefined) continue;
      const vol = await lookupVolume(name, signal);
      if (vol !== undefined && sameVolume(vol.spec.resource, volume)) return true;
    }
  }
  return false;
}
