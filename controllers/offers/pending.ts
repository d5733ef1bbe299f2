// Which of a saved plan's writes are still to do, judged from the informer caches with the
// engine's own rules (isChangeApplied), plus one Corral adds: a created Operation or rejected
// Task whose first status is missing (a run cut short between the create and the `/status`
// write; a launched Task has no such write, the API server sets its TASK_STAGING at the create).
import type { ObjectKey, ReadonlyCache } from '../../core/client/index.ts';
import type { KubeObject, Operation, Reservation, Task, Volume } from '../../core/types/index.ts';
import type { RecordChange } from './engine/index.ts';
import { ORIGIN_ANNOTATION, indexRecords, isChangeApplied, statusToWrite } from './engine/index.ts';

/** RecordCaches are the informer caches of the kinds an answer writes. */
export interface RecordCaches {
  readonly reservations: ReadonlyCache<Reservation>;
  readonly volumes: ReadonlyCache<Volume>;
  readonly tasks: ReadonlyCache<Task>;
  readonly operations: ReadonlyCache<Operation>;
}

function lookup(caches: RecordCaches, kind: string, key: ObjectKey): KubeObject | undefined {
  switch (kind) {
    case 'Reservation':
      return caches.reservations.get({ name: key.name });
    case 'Volume':
      return caches.volumes.get({ name: key.name });
    case 'Task':
      return caches.tasks.get(key);
    case 'Operation':
      return caches.operations.get(key);
    default:
      return undefined;
  }
}

function target(c: RecordChange): { kind: string; key: ObjectKey } {
  if (c.action === 'create') {
    const m = c.object.metadata;
    return { kind: c.object.kind, key: { namespace: m.namespace ?? '', name: m.name ?? '' } };
  }
  return { kind: c.kind, key: { name: c.name } };
}

const originOf = (o: KubeObject | undefined): string | undefined =>
  o?.metadata.annotations?.[ORIGIN_ANNOTATION];

function statusMissing(c: RecordChange, existing: KubeObject | undefined): boolean {
  if (c.action !== 'create' || existing === undefined || statusToWrite(c.object) === undefined)
    return false;
  if (originOf(existing) !== originOf(c.object)) return false;
  return (existing['status'] as { state?: string } | undefined)?.state === undefined;
}

// standInDue: a launched Task whose name another offer's Task holds is done once its stand-in
// exists with its status (the writer refuses the launch through it); undefined for any other.
function standInDue(
  c: RecordChange,
  existing: KubeObject | undefined,
  caches: RecordCaches,
): boolean | undefined {
  if (c.action !== 'create' || c.standIn === undefined || existing === undefined) return undefined;
  if (originOf(existing) === originOf(c.object)) return undefined;
  const standIn = caches.tasks.get({
    namespace: c.object.metadata.namespace ?? '',
    name: c.standIn,
  });
  return standIn === undefined || standIn.status?.state === undefined;
}

/**
 * pendingChanges lists, in plan order, the changes the caches do not show as done (a launched
 * Task refused because another offer's Task took its name counts as done once its stand-in is).
 */
export function pendingChanges(
  changes: readonly RecordChange[],
  caches: RecordCaches,
): RecordChange[] {
  const found = changes.map(c => {
    const t = target(c);
    return lookup(caches, t.kind, t.key);
  });
  const index = indexRecords(found.flatMap(o => (o === undefined ? [] : [o])));
  return changes.filter(
    (c, i) =>
      standInDue(c, found[i], caches) ?? (!isChangeApplied(c, index) || statusMissing(c, found[i])),
  );
}
