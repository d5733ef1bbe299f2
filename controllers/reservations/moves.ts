// Volumes moved by a reservation update (Mesos 1.10: the volumes on a reservation move with it,
// data kept). The Reservation records the moves when its change is accepted (in the same write
// as its applied spec), and a later pass rewrites each Volume onto the new reservation stack, so
// a controller killed in between still moves them. The data follows through the agent: the same
// accepted write records a RESERVE with a source (operator-operations.ts `updateOperations`),
// sent before this pass runs, which has the agent rename each volume's directory to the new
// role's path.
import type { ObjectKey, WriteOptions } from '../../core/client/index.ts';
import { isConflict, isNotFound } from '../../core/client/index.ts';
import { renderResource } from '../../core/resources/index.ts';
import type { KubeObject, ResourceItem, Volume } from '../../core/types/index.ts';
import type { MovedVolume } from '../offers/engine/index.ts';
import { appliedVolume, sameVolumeSpec, withApplied } from './applied.ts';

/** MOVES_ANNOTATION lists, as JSON, the volumes still to move onto the Reservation's new stack. */
export const MOVES_ANNOTATION = 'corral.dev/pending-volume-moves';

/** PendingMove is one volume and the resource it becomes. */
export interface PendingMove {
  readonly name: string;
  readonly resource: ResourceItem;
}

/** VolumeMoveApi reads and rewrites Volumes: the typed client fits. */
export interface VolumeMoveApi {
  get(key: ObjectKey, opts?: { signal?: AbortSignal }): Promise<Volume>;
  update(obj: Volume, opts?: WriteOptions): Promise<Volume>;
}

/** movesOf renders the plan's moved volumes for the annotation. */
export function movesOf(moved: readonly MovedVolume[]): PendingMove[] {
  return moved.map(m => ({ name: m.name, resource: renderResource(m.resource) }));
}

/** pendingMoves reads the annotation; undefined when there is nothing to move. */
export function pendingMoves(r: KubeObject): PendingMove[] | undefined {
  const text = r.metadata.annotations?.[MOVES_ANNOTATION];
  if (text === undefined) return undefined;
  try {
    const list = JSON.parse(text) as PendingMove[];
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

/** moveVolume rewrites one Volume onto its new stack (spec and applied annotation together). */
export async function moveVolume(
  api: VolumeMoveApi,
  move: PendingMove,
  opts: WriteOptions,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    let v: Volume;
    try {
      v = await api.get(
        { name: move.name },
        opts.signal === undefined ? {} : { signal: opts.signal },
      );
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    const role = move.resource.reservations?.at(-1)?.role ?? v.spec.role;
    const spec = { ...v.spec, role, resource: move.resource };
    const applied = appliedVolume(v);
    if (applied !== undefined && sameVolumeSpec(applied.spec, spec) && sameVolumeSpec(v.spec, spec))
      return;
    try {
      await api.update(withApplied(v, spec), opts);
      return;
    } catch (e) {
      if (!isConflict(e) || attempt >= 5) throw e;
    }
  }
}
