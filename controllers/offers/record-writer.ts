// Writing a plan's record changes, each idempotently, so that a run cut short anywhere and run
// again ends with exactly one of everything: a create that finds its name taken by its own earlier
// run reads the object back (another offer's object of that name is left alone, and a Task whose
// name it holds is refused through its stand-in); a created Operation, or a rejected Task, gets
// its first status through `/status` only while it has none (the agent may have written one
// since), and a launched Task none at all (the API server made it TASK_STAGING at its create); an
// update is skipped once the record carries the plan's origin; a delete marks the record as the
// answer's removal first (REMOVED_ANNOTATION), and a delete of what is gone is done.
import type { Logger } from 'pino';
import type {
  CallOptions,
  ClientError,
  DeleteOptions,
  ObjectKey,
  WriteOptions,
} from '../../core/client/index.ts';
import { isAlreadyExists, isConflict, isNotFound } from '../../core/client/index.ts';
import type {
  KubeObject,
  ObjectMeta,
  Operation,
  Reservation,
  Task,
  Volume,
} from '../../core/types/index.ts';
import { assertNever } from '../../core/util/assert-never.ts';
import { REMOVED_ANNOTATION, withApplied } from '../reservations/applied.ts';
import type { CreatedObject, RecordChange } from './engine/index.ts';
import {
  ORIGIN_ANNOTATION,
  REJECTED_ANNOTATION,
  duplicateIdStatus,
  rejectedStandIn,
  statusToWrite,
} from './engine/index.ts';

/**
 * RecordApi is what the writer needs of one kind: the typed client fits. It must not change the
 * objects it is given: they share parts with the plan, and so with frozen cache objects.
 */
export interface RecordApi<T extends KubeObject> {
  get(key: ObjectKey, opts?: CallOptions): Promise<T>;
  create(obj: T, opts?: WriteOptions): Promise<T>;
  update(obj: T, opts?: WriteOptions): Promise<T>;
  updateStatus(obj: T, opts?: WriteOptions): Promise<T>;
  delete(key: ObjectKey, opts?: DeleteOptions): Promise<void>;
}

/**
 * BatchCreateApi creates several objects in one request (Corral's List create): per object, in
 * order, its stored metadata or the error of that one; throws when nothing was written.
 */
export interface BatchCreateApi<T extends KubeObject> {
  createMany(objs: readonly T[], opts?: WriteOptions): Promise<(ObjectMeta | ClientError)[]>;
}

/** RecordApis are the kinds an answer writes. */
export interface RecordApis {
  readonly reservations: RecordApi<Reservation>;
  readonly volumes: RecordApi<Volume>;
  readonly tasks: RecordApi<Task> & BatchCreateApi<Task>;
  readonly operations: RecordApi<Operation>;
}

/** WriteContext is where and how the writes go. */
export interface WriteContext {
  readonly apis: RecordApis;
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** written is told of every object as written, and whether the write made it. */
  readonly written?: (obj: KubeObject, created: boolean) => void;
  /** removed is told of every record deleted. */
  readonly removed?: (kind: string, key: ObjectKey) => void;
}

const FIELD_MANAGER = 'corral-offer-controller';
const MAX_ATTEMPTS = 5;

type AnyApi = RecordApi<KubeObject>;

function apiOf(apis: RecordApis, kind: string): AnyApi {
  switch (kind) {
    case 'Reservation':
      return apis.reservations;
    case 'Volume':
      return apis.volumes;
    case 'Task':
      return apis.tasks;
    case 'Operation':
      return apis.operations;
    default:
      throw new RangeError(`an answer does not write ${kind} objects`);
  }
}

const keyOf = (o: KubeObject): ObjectKey => ({
  namespace: o.metadata.namespace ?? '',
  name: o.metadata.name ?? '',
});

// createBody is the object as created: status goes through `/status` after (statusToWrite; a
// launched Task's TASK_STAGING is the server's); Reservations and Volumes record themselves as
// applied; a dropped Operation is marked so no agent acts on it. It copies only the containers
// it changes (the top level, and metadata for a new annotation) and shares the rest with `obj`,
// which may hold frozen cache objects: nothing changes a body after, the client only serializes
// it (a deep copy per Task created showed in the controllers' CPU profile).
function createBody(obj: CreatedObject): CreatedObject {
  const body = { ...obj };
  delete body.status;
  switch (body.kind) {
    case 'Reservation':
    case 'Volume':
      return withApplied(body, body.spec);
    case 'Operation':
      if (obj.kind === 'Operation' && obj.status?.state === 'OPERATION_PENDING') return body;
      return {
        ...body,
        metadata: {
          ...body.metadata,
          annotations: { ...body.metadata.annotations, [REJECTED_ANNOTATION]: 'true' },
        },
      };
    case 'Task':
      return body;
    default:
      return assertNever(body, 'created object');
  }
}

async function create(
  change: Extract<RecordChange, { action: 'create' }>,
  ctx: WriteContext,
): Promise<void> {
  const obj = change.object;
  const api = apiOf(ctx.apis, obj.kind);
  const call = { signal: ctx.signal, fieldManager: FIELD_MANAGER };
  let current: KubeObject;
  let made = true;
  try {
    current = await api.create(createBody(obj), call);
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
    current = await api.get(keyOf(obj), { signal: ctx.signal });
    made = false;
  }
  const origin = obj.metadata.annotations?.[ORIGIN_ANNOTATION];
  if (current.metadata.annotations?.[ORIGIN_ANNOTATION] !== origin) {
    const where = { kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace };
    // A task whose name another offer's Task took since the plan was made is not launched: its
    // TASK_ERROR goes through its stand-in, and what it would have held stays free.
    if (obj.kind === 'Task' && change.standIn !== undefined) {
      ctx.logger.info({ ...where, standIn: change.standIn }, 'task name taken; launch refused');
      const standIn = rejectedStandIn(obj, change.standIn, duplicateIdStatus(obj));
      return create({ action: 'create', object: standIn }, ctx);
    }
    ctx.logger.warn(where, 'name taken by another offer; record not written');
    return;
  }
  ctx.written?.(current, made);
  const status = statusToWrite(obj);
  if (status !== undefined) await ensureStatus(api, current, status, ctx);
}

/** TaskCreate is one create of a Task in a plan. */
export type TaskCreate = Extract<RecordChange, { action: 'create' }> & {
  readonly object: Task;
};

/**
 * writeTaskCreates makes a run of a plan's Task creates (a LAUNCH's tasks, independent of each
 * other) in one List create: one request instead of one per task, which at a dozen tasks per
 * accept was most of the offer controller's requests and the API server's work on them. A name
 * that turns out taken goes the single create's way (read back: ours from an earlier run, or
 * another offer's, refused through the stand-in); a status to write follows as for one create.
 */
export async function writeTaskCreates(
  changes: readonly TaskCreate[],
  ctx: WriteContext,
): Promise<void> {
  const api = ctx.apis.tasks;
  const bodies = changes.map(c => createBody(c.object) as Task);
  const answers = await api.createMany(bodies, { signal: ctx.signal, fieldManager: FIELD_MANAGER });
  const taken: TaskCreate[] = [];
  let failed: ClientError | undefined;
  for (const [i, change] of changes.entries()) {
    const answer = answers[i];
    const body = bodies[i];
    if (answer === undefined || body === undefined) continue;
    if (answer instanceof Error) {
      if (isAlreadyExists(answer)) taken.push(change);
      else failed ??= answer;
      continue;
    }
    // what the server stored, but for the status it set (a TASK_STAGING statusToWrite skips)
    const current: Task = { ...body, metadata: { ...body.metadata, ...answer } };
    ctx.written?.(current, true);
    const status = statusToWrite(change.object);
    if (status !== undefined) await ensureStatus(api, current, status, ctx);
  }
  for (const change of taken) await create(change, ctx);
  // the others are written; a rerun finds them (pendingChanges) and writes only this one again
  if (failed !== undefined) throw failed;
}

async function ensureStatus(
  api: AnyApi,
  created: KubeObject,
  status: unknown,
  ctx: WriteContext,
): Promise<void> {
  let current = created;
  for (let attempt = 1; ; attempt++) {
    if ((current['status'] as { state?: string } | undefined)?.state !== undefined) return;
    try {
      const written = await api.updateStatus(
        { ...current, status },
        { signal: ctx.signal, fieldManager: FIELD_MANAGER },
      );
      ctx.written?.(written, false);
      return;
    } catch (e) {
      if (isNotFound(e)) return;
      if (!isConflict(e) || attempt >= MAX_ATTEMPTS) throw e;
      current = await api.get(keyOf(current), { signal: ctx.signal });
    }
  }
}

async function update(
  change: Extract<RecordChange, { action: 'update' }>,
  ctx: WriteContext,
): Promise<void> {
  const api = apiOf(ctx.apis, change.kind);
  for (let attempt = 1; ; attempt++) {
    let cur: KubeObject;
    try {
      cur = await api.get({ name: change.name }, { signal: ctx.signal });
    } catch (e) {
      if (!isNotFound(e)) throw e;
      ctx.logger.warn({ kind: change.kind, name: change.name }, 'record to update is gone');
      return;
    }
    const annotations = cur.metadata.annotations ?? {};
    if (annotations[ORIGIN_ANNOTATION] === change.origin) return;
    if (
      change.resourceVersion !== undefined &&
      cur.metadata.resourceVersion !== change.resourceVersion
    )
      ctx.logger.warn({ kind: change.kind, name: change.name }, 'record changed since planned');
    const metadata = {
      ...cur.metadata,
      annotations: { ...annotations, [ORIGIN_ANNOTATION]: change.origin },
    };
    const next: KubeObject =
      change.kind === 'Reservation'
        ? withApplied({ ...(cur as Reservation), metadata }, change.spec)
        : withApplied({ ...(cur as Volume), metadata }, change.spec);
    try {
      ctx.written?.(
        await api.update(next, { signal: ctx.signal, fieldManager: FIELD_MANAGER }),
        false,
      );
      return;
    } catch (e) {
      if (!isConflict(e) || attempt >= MAX_ATTEMPTS) throw e;
    }
  }
}

// markRemoved writes REMOVED_ANNOTATION before the delete: the record's controller then lets it
// go without an UNRESERVE or DESTROY of its own, this answer's Operation being the agent's.
async function markRemoved(
  change: Extract<RecordChange, { action: 'delete' }>,
  ctx: WriteContext,
): Promise<void> {
  const api = apiOf(ctx.apis, change.kind);
  for (let attempt = 1; ; attempt++) {
    let cur: KubeObject;
    try {
      cur = await api.get({ name: change.name }, { signal: ctx.signal });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    const annotations = cur.metadata.annotations ?? {};
    if (annotations[REMOVED_ANNOTATION] === change.origin) return;
    const metadata = {
      ...cur.metadata,
      annotations: { ...annotations, [REMOVED_ANNOTATION]: change.origin },
    };
    try {
      ctx.written?.(
        await api.update({ ...cur, metadata }, { signal: ctx.signal, fieldManager: FIELD_MANAGER }),
        false,
      );
      return;
    } catch (e) {
      if (isNotFound(e)) return;
      if (!isConflict(e) || attempt >= MAX_ATTEMPTS) throw e;
    }
  }
}

async function remove(
  change: Extract<RecordChange, { action: 'delete' }>,
  ctx: WriteContext,
): Promise<void> {
  await markRemoved(change, ctx);
  try {
    await apiOf(ctx.apis, change.kind).delete({ name: change.name }, { signal: ctx.signal });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  ctx.removed?.(change.kind, { name: change.name });
}

/** writeChange makes one change of a plan, idempotently (see above). */
export async function writeChange(change: RecordChange, ctx: WriteContext): Promise<void> {
  switch (change.action) {
    case 'create':
      return create(change, ctx);
    case 'update':
      return update(change, ctx);
    case 'delete':
      return remove(change, ctx);
    default:
      return assertNever(change, 'record change');
  }
}
