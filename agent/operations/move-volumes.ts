// A reservation update's work on the agent (an operator's RESERVE with a `source`, Mesos 1.10):
// the persistent volumes in it change role, so each one's directory moves from the old role's
// path to the new one's, data kept (volume-dir-move.ts). As far as can be told beforehand it is
// all or nothing: the operation fails with nothing moved when a task that has not ended uses one
// of the volumes, under either role, or when a target holds data of its own. (Mesos refuses such
// an update on the master, the volume not being available while a task holds it; the control
// plane does too, and the agent checks again, as it may know of a task the controllers do not.)
import type { ResourceItem } from '../../core/types/resources.ts';
import { assertNever } from '../../core/util/assert-never.ts';
import type { OperationOutcome } from './outcome.ts';
import { failed, finished } from './outcome.ts';
import type { DirMove, DirMovePlan } from './volume-dir-move.ts';
import { moveDir, planDirMove } from './volume-dir-move.ts';

/** VolumeMoveDeps are what a move needs of the agent. */
export interface VolumeMoveDeps {
  /**
   * pathOf is a volume's directory (PersistentVolumeStore.pathOf); absent on an agent that keeps
   * no directories for its volumes (the hollow agents), which has nothing to move.
   */
  readonly pathOf?: (volume: ResourceItem) => string;
  /** inUse tells whether a task of this agent that has not ended uses the volume. */
  readonly inUse: (volume: ResourceItem, signal: AbortSignal) => Promise<boolean>;
}

/** ReserveUpdatePayload is the source and the target of a reservation update. */
export interface ReserveUpdatePayload {
  readonly source: readonly ResourceItem[];
  readonly resources: readonly ResourceItem[];
}

/** VolumePair is one volume before and after the update. */
export interface VolumePair {
  readonly id: string;
  readonly from: ResourceItem;
  readonly to: ResourceItem;
}

// A volume is known by its persistence id on its disk: the same id on another disk is another.
const volumeKey = (r: ResourceItem): string | undefined => {
  const id = r.disk?.persistence?.id;
  if (id === undefined) return undefined;
  const src = r.disk?.source;
  return JSON.stringify([id, src?.type ?? 'ROOT', src?.root ?? '', src?.id ?? '']);
};

/**
 * pairVolumes matches each persistent volume of the source with the same volume in the target;
 * a message when one has no counterpart (the API server's validation makes that impossible).
 */
export function pairVolumes(u: ReserveUpdatePayload): VolumePair[] | string {
  const out: VolumePair[] = [];
  for (const from of u.source) {
    const key = volumeKey(from);
    if (key === undefined) continue;
    const to = u.resources.find(r => volumeKey(r) === key);
    const id = from.disk?.persistence?.id ?? '';
    if (to === undefined) return `persistent volume '${id}' of the source is not in the resources`;
    out.push({ id, from, to });
  }
  return out;
}

function said(plan: DirMovePlan): string {
  switch (plan) {
    case 'same':
      return 'stays where it is';
    case 'move':
      return 'moved';
    case 'already':
      return 'already moved';
    case 'make':
      return 'had no directory; made it';
    case 'occupied':
      return 'not moved: the target holds data';
    default:
      return assertNever(plan, 'directory move plan');
  }
}

const occupied = (m: DirMove & { id: string }): OperationOutcome =>
  failed(
    `persistent volume '${m.id}' cannot move to '${m.to}': that directory holds data, which is never overwritten; the volume stays at '${m.from}'`,
  );

/** moveVolumes carries out a reservation update's volume moves (see above). */
export async function moveVolumes(
  d: VolumeMoveDeps,
  u: ReserveUpdatePayload,
  signal: AbortSignal,
): Promise<OperationOutcome> {
  const pairs = pairVolumes(u);
  if (typeof pairs === 'string') return failed(pairs);
  if (pairs.length === 0) return finished('reservation update: no persistent volumes to move');
  const { pathOf } = d;
  if (pathOf === undefined) return finished('this agent keeps no volume directories to move');
  // 1. refuse while a task uses a volume, under its old role or its new one
  for (const p of pairs) {
    if ((await d.inUse(p.from, signal)) || (await d.inUse(p.to, signal)))
      return failed(`Persistent volumes in use: '${p.id}'`);
  }
  // 2. refuse if a target holds data, before anything moves
  const moves = pairs.map(p => ({ id: p.id, from: pathOf(p.from), to: pathOf(p.to) }));
  for (const m of moves) if ((await planDirMove(m)) === 'occupied') return occupied(m);
  // 3. move; a target filled in the meantime stops here, and a replay finishes what moved
  const done: string[] = [];
  for (const m of moves) {
    const plan = await moveDir(m);
    if (plan === 'occupied') return occupied(m);
    done.push(`'${m.id}' ${said(plan)}`);
  }
  const role = pairs[0]?.to.reservations?.at(-1)?.role ?? '*';
  return finished(`persistent volumes now under role '${role}': ${done.join(', ')}`);
}
