// Deterministic names for the records an answer creates, so that a controller killed midway
// recomputes the same names after a restart and creates only what is missing.
import { createHash } from 'node:crypto';
import type { Resource } from '../../../core/resources/index.ts';
import { reservationRole } from '../../../core/resources/index.ts';
import type { OfferOperation } from '../../../core/types/index.ts';
import type { OfferRef } from './types.ts';

/**
 * RecordKind is a kind of record an answer creates; a TaskGroup names the tasks' group, a
 * RejectedTask the Task that reports a task's TASK_ERROR when another Task holds its name.
 */
export type RecordKind =
  'Reservation' | 'Volume' | 'Task' | 'Operation' | 'TaskGroup' | 'RejectedTask';

const TAG: Readonly<Record<RecordKind, string>> = {
  Reservation: 'rsv',
  Volume: 'vol',
  Task: 'task',
  Operation: 'op',
  TaskGroup: 'group',
  RejectedTask: 'rejected',
};

const MAX_NAME = 253;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** isObjectName reports a valid Kubernetes object name (a DNS-1123 subdomain). */
export function isObjectName(name: string): boolean {
  return name.length <= MAX_NAME && DNS_SUBDOMAIN.test(name);
}

/** offerKey identifies an offer across restarts and name reuse: its uid, else `namespace/name`. */
export function offerKey(offer: OfferRef): string {
  return offer.uid ?? `${offer.namespace}/${offer.name}`;
}

// slug keeps what a name may hold of a free-form id (a persistence id may hold `_` or capitals).
function slug(id: string): string {
  return id
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

/**
 * recordName is the name of the record of `kind` made by operation `opIndex` of the offer's
 * answer. Tasks are named by the framework (`id` is the task name) and Operations by their
 * operation id when there is one, as Mesos's TaskID and OperationID; everything else (a
 * RejectedTask's `id` is the task name it reports on) gets
 * `<offer>-<tag><index>[-<id>]-<hash>`, where the hash covers the offer's namespace, name and
 * uid, the kind, the index and the id, so two offers never collide. Throws a RangeError for a Task
 * without a name.
 */
export function recordName(
  kind: RecordKind,
  offer: OfferRef,
  opIndex: number,
  id?: string,
): string {
  if (kind === 'Task') {
    if (id === undefined) throw new RangeError('a Task is named by its template');
    return id;
  }
  if (kind === 'Operation' && id !== undefined) return id;
  const hash = createHash('sha256')
    .update(
      [offer.namespace, offer.name, offer.uid ?? '', kind, String(opIndex), id ?? ''].join('\0'),
    )
    .digest('hex')
    .slice(0, 10);
  const idPart = id === undefined ? '' : slug(id);
  const tail = `${idPart === '' ? '' : `-${idPart}`}-${hash}`;
  const head = `${offer.name}-${TAG[kind]}${opIndex}`.slice(0, MAX_NAME - tail.length);
  return `${head.replace(/[-.]+$/, '')}${tail}`;
}

/** volumeRecordName names the Volume a CREATE makes: per role and persistence id (Mesos's key). */
export function volumeRecordName(offer: OfferRef, opIndex: number, volume: Resource): string {
  const id = `${reservationRole(volume) ?? ''}/${volume.disk?.persistence?.id ?? ''}`;
  return recordName('Volume', offer, opIndex, id);
}

/**
 * createdNames lists the Reservation and Volume names an answer's operations would create, read
 * straight from the answer, so that a rerun can tell its own records from the agent's.
 */
export function createdNames(offer: OfferRef, operations: readonly OfferOperation[]): Set<string> {
  const out = new Set<string>();
  operations.forEach((op, i) => {
    if (op.type === 'RESERVE') out.add(recordName('Reservation', offer, i));
    if (op.type !== 'CREATE') return;
    for (const v of op.create?.volumes ?? []) {
      const role = v.reservations?.at(-1)?.role ?? '';
      out.add(recordName('Volume', offer, i, `${role}/${v.disk?.persistence?.id ?? ''}`));
    }
  });
  return out;
}
