// What the agent does for each operation bound to it (mesos-features §2.3, §3.2, §4): CREATE
// makes the persistent volumes' directories, DESTROY deletes them unless a task still uses them
// (Mesos's "Persistent volumes in use" failure), a reservation update (an operator's RESERVE with
// a source) moves the directories of the volumes it carries to their new role's path, and other
// reservations change nothing on the node and finish at once. Operations this agent does not
// support fail with a message saying so.
import type { Operation } from '../../core/types/operation.ts';
import type { ResourceItem } from '../../core/types/resources.ts';
import { assertNever } from '../../core/util/assert-never.ts';
import type { PersistentVolumeStore } from '../isolation/volumes-store.ts';
import { moveVolumes } from './move-volumes.ts';
import type { OperationOutcome } from './outcome.ts';
import { failed, finished } from './outcome.ts';

export type { OperationOutcome } from './outcome.ts';

/**
 * OperationDeps are the agent pieces operations touch. `volumes.pathOf` is absent on an agent
 * that keeps no directories for its volumes (the hollow agents): a reservation update then has
 * nothing to move.
 */
export interface OperationDeps {
  readonly volumes: Pick<PersistentVolumeStore, 'create' | 'destroy'> &
    Partial<Pick<PersistentVolumeStore, 'pathOf'>>;
  /** inUse tells whether a task of this agent that has not ended uses the volume. */
  readonly inUse: (volume: ResourceItem, signal: AbortSignal) => Promise<boolean>;
}

/** applyOperation carries out one operation; failures are outcomes, never thrown. */
export async function applyOperation(
  d: OperationDeps,
  op: Operation,
  signal: AbortSignal,
): Promise<OperationOutcome> {
  const { spec } = op;
  try {
    switch (spec.type) {
      case 'RESERVE': {
        const source = spec.reserve?.source;
        if (source === undefined) return finished('reservations need no work on the agent');
        const pathOf = d.volumes.pathOf?.bind(d.volumes);
        const resources = spec.reserve?.resources ?? [];
        return await moveVolumes(
          { inUse: d.inUse, ...(pathOf === undefined ? {} : { pathOf }) },
          { source, resources },
          signal,
        );
      }
      case 'UNRESERVE':
        return finished('reservations need no work on the agent');
      case 'CREATE': {
        const paths = await d.volumes.create(spec.create?.volumes ?? []);
        return finished(`created ${paths.length} persistent volume(s)`);
      }
      case 'DESTROY': {
        const volumes = spec.destroy?.volumes ?? [];
        // check every volume before deleting any, so a refused DESTROY changes nothing
        for (const v of volumes) {
          if (await d.inUse(v, signal)) {
            return failed(`Persistent volumes in use: '${v.disk?.persistence?.id ?? v.name}'`);
          }
        }
        for (const v of volumes) await d.volumes.destroy(v, false);
        return finished(`destroyed ${volumes.length} persistent volume(s)`);
      }
      case 'GROW_VOLUME':
      case 'SHRINK_VOLUME':
        return failed(`${spec.type} needs the RESIZE_VOLUME capability, which this agent lacks`);
      case 'CREATE_DISK':
      case 'DESTROY_DISK':
        return failed(`${spec.type} needs a resource provider, which this agent has none of`);
      default:
        return assertNever(spec.type, 'operation type');
    }
  } catch (e) {
    if (signal.aborted) throw e;
    return failed(e instanceof Error ? e.message : String(e));
  }
}
