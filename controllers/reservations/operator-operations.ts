// The Operations an accepted operator change sends to the agent (mesos-features §3.2: the master
// forwards CREATE_VOLUMES and DESTROY_VOLUMES to the agent, which makes or deletes the volume's
// directory). Like a framework's operation without an id, each is an Operation record marked as
// no one's feedback. Only the steps the agent carries out get one: a volume's CREATE, DESTROY,
// GROW_VOLUME and SHRINK_VOLUME. RESERVE and UNRESERVE steps need no work on the node (the agent
// reads no reservation state), so a Reservation change sends nothing, except a reservation update
// that moves persistent volumes: the volumes' directories are per role on the agent, so it sends
// one RESERVE with a `source` (Mesos 1.10's RESERVE_RESOURCES), see updateOperations. The
// Operations are recorded on the record in the same write that applies the change (for a
// deletion, before the finalizer goes), so a controller killed before it created them creates
// them after a restart, under the same names, exactly once.
import { createHash } from 'node:crypto';
import type { Resource, Resources } from '../../core/resources/index.ts';
import {
  formatScalar,
  renderResource,
  renderResourceList,
  scalarSub,
} from '../../core/resources/index.ts';
import type {
  KubeObject,
  OperationPayload,
  OperationSpec,
  OperationType,
  Reservation,
  Volume,
} from '../../core/types/index.ts';
import { assertNever } from '../../core/util/assert-never.ts';
import type { ChangePlan, ChangeStep } from '../offers/engine/index.ts';

/** PENDING_OPERATIONS_ANNOTATION lists, as JSON, the Operations still to create for a change. */
export const PENDING_OPERATIONS_ANNOTATION = 'corral.dev/pending-operations';

/** OperatorPayload is an operator Operation's payload: an offer answer's, or a RESERVE's source. */
export type OperatorPayload = Pick<OperationSpec, keyof OperationPayload>;

/** PendingOperation is one Operation to create: its name, type and payload. */
export interface PendingOperation {
  readonly name: string;
  readonly type: OperationType;
  readonly payload: OperatorPayload;
}

/**
 * PendingOperations are the Operations of one accepted change; `release` marks a deletion, whose
 * finalizer goes in the write that clears the list (the record may go once the agent is told).
 */
export interface PendingOperations {
  readonly operations: readonly PendingOperation[];
  readonly release: boolean;
}

const MAX_NAME = 253;

const one = (rs: Resources): Resource | undefined => rs.toArray()[0];

const scalar = (r: Resource | undefined) =>
  r?.value.type === 'SCALAR' ? r.value.scalar : undefined;

/**
 * payloadOf is a step's Operation payload as an offer answer would spell it: what RESERVE and
 * CREATE make (converted), what UNRESERVE and DESTROY take (consumed), and for a resize the volume
 * with its addition or the amount it loses. Throws a RangeError for a resize step that holds no
 * volume (the engine never plans one).
 */
export function payloadOf(step: ChangeStep): OperationPayload {
  switch (step.action) {
    case 'RESERVE':
      return { reserve: { resources: renderResourceList(step.converted) } };
    case 'UNRESERVE':
      return { unreserve: { resources: renderResourceList(step.consumed) } };
    case 'CREATE':
      return { create: { volumes: renderResourceList(step.converted) } };
    case 'DESTROY':
      return { destroy: { volumes: renderResourceList(step.consumed) } };
    case 'GROW_VOLUME': {
      const volume = one(step.consumed.persistentVolumes());
      const addition = volume === undefined ? undefined : one(step.consumed.subtract(volume));
      if (volume === undefined || addition === undefined)
        throw new RangeError('GROW_VOLUME step without a volume and an addition');
      return {
        growVolume: { volume: renderResource(volume), addition: renderResource(addition) },
      };
    }
    case 'SHRINK_VOLUME': {
      const volume = one(step.consumed);
      const before = scalar(volume);
      const after = scalar(one(step.converted.persistentVolumes()));
      if (volume === undefined || before === undefined || after === undefined)
        throw new RangeError('SHRINK_VOLUME step without a volume');
      const subtract = formatScalar(scalarSub(before, after));
      return { shrinkVolume: { volume: renderResource(volume), subtract } };
    }
    default:
      return assertNever(step.action, 'change action');
  }
}

/**
 * operationName names the Operation of step `index` of a change to `record`:
 * `<record>-<action><index>-<hash>`, the hash over the record's kind, uid and name, the change
 * (`change`: the generation applied, or `delete`) and the index, so two records, two changes of
 * one record, or a record and its namesake after a re-create never share a name.
 */
export function operationName(
  record: KubeObject,
  change: string,
  index: number,
  type: OperationType,
): string {
  const m = record.metadata;
  const hash = createHash('sha256')
    .update([record.kind, m.uid ?? '', m.name ?? '', change, String(index)].join('\0'))
    .digest('hex')
    .slice(0, 10);
  const tail = `-${type.toLowerCase().replaceAll('_', '-')}${index}-${hash}`;
  const head = (m.name ?? '').slice(0, MAX_NAME - tail.length).replace(/[-.]+$/, '');
  return `${head}${tail}`;
}

/** changeKey identifies the change being applied: its generation, or the deletion. */
export function changeKey(record: Reservation | Volume, deleting: boolean): string {
  if (deleting) return 'delete';
  const m = record.metadata;
  return m.generation === undefined ? `rv-${m.resourceVersion ?? ''}` : `gen-${m.generation}`;
}

/** carriedOutByAgent tells whether the agent does any work for a step of this kind. */
export function carriedOutByAgent(action: ChangeStep['action']): boolean {
  switch (action) {
    case 'CREATE':
    case 'DESTROY':
    case 'GROW_VOLUME':
    case 'SHRINK_VOLUME':
      return true;
    case 'RESERVE':
    case 'UNRESERVE':
      return false;
    default:
      return assertNever(action, 'change action');
  }
}

/** operationsOf lists, in order, the Operations of the change's steps the agent carries out. */
export function operationsOf(
  record: Reservation | Volume,
  steps: readonly ChangeStep[],
  deleting: boolean,
): PendingOperation[] {
  const key = changeKey(record, deleting);
  return steps.flatMap((step, i) =>
    carriedOutByAgent(step.action)
      ? [
          {
            name: operationName(record, key, i, step.action),
            type: step.action,
            payload: payloadOf(step),
          },
        ]
      : [],
  );
}

/**
 * updateOperations is the Operation of an accepted reservation update that moves persistent
 * volumes (none otherwise): one RESERVE whose `source` is what the update's first step consumes
 * (the reservation's resources with the volumes on it, on the old stack) and whose `resources`
 * are what its last step makes (the same on the new stack). It is named as the step after the
 * last, so it never shares a name with a step's Operation.
 */
export function updateOperations(
  record: Reservation | Volume,
  plan: Extract<ChangePlan, { ok: true }>,
): PendingOperation[] {
  const first = plan.steps[0];
  const last = plan.steps.at(-1);
  if (record.kind !== 'Reservation' || plan.movedVolumes.length === 0) return [];
  if (first === undefined || last === undefined) return [];
  const index = plan.steps.length;
  return [
    {
      name: operationName(record, changeKey(record, false), index, 'RESERVE'),
      type: 'RESERVE',
      payload: {
        reserve: {
          source: renderResourceList(first.consumed),
          resources: renderResourceList(last.converted),
        },
      },
    },
  ];
}

/** pendingOperations reads the annotation; undefined when nothing is pending. */
export function pendingOperations(o: KubeObject): PendingOperations | undefined {
  const text = o.metadata.annotations?.[PENDING_OPERATIONS_ANNOTATION];
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as Partial<PendingOperations>;
    return {
      operations: Array.isArray(parsed.operations) ? parsed.operations : [],
      release: parsed.release === true,
    };
  } catch {
    // Not ours to fix: nothing can be sent from it, and the write that clears it lets the record go on.
    return { operations: [], release: false };
  }
}

/** withPending returns a copy of `o` whose annotation records `pending` (absent: cleared). */
export function withPending<T extends KubeObject>(o: T, pending?: PendingOperations): T {
  const annotations = Object.fromEntries(
    Object.entries(o.metadata.annotations ?? {}).filter(
      ([k]) => k !== PENDING_OPERATIONS_ANNOTATION,
    ),
  );
  if (pending !== undefined) annotations[PENDING_OPERATIONS_ANNOTATION] = JSON.stringify(pending);
  return { ...o, metadata: { ...o.metadata, annotations } };
}
