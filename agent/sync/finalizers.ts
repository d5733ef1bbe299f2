// Adding and removing the agent's finalizer on a Task: metadata writes with the Task's
// resourceVersion, read again and retried on Conflict (a status write of ours may have moved it).
import type { CallOptions, ObjectKey, WriteOptions } from '../../core/client/index.ts';
import { isConflict, isNotFound } from '../../core/client/index.ts';
import type { Task } from '../../core/types/task.ts';
import { AGENT_FINALIZER } from './names.ts';

/** TaskMetaApi is what finalizer writes need of the API: the typed Task client fits. */
export interface TaskMetaApi {
  get(key: ObjectKey, opts?: CallOptions): Promise<Task>;
  update(obj: Task, opts?: WriteOptions): Promise<Task>;
}

const MAX_ATTEMPTS = 5;

/** hasFinalizer tells whether the Task carries the agent's finalizer. */
export function hasFinalizer(task: Task): boolean {
  return (task.metadata.finalizers ?? []).includes(AGENT_FINALIZER);
}

/** FinalizerChange asks for the agent's finalizer on (`on`) or off a Task. */
export interface FinalizerChange {
  readonly api: TaskMetaApi;
  readonly task: Task;
  readonly on: boolean;
  readonly opts: WriteOptions;
}

/**
 * setFinalizer adds or removes the agent's finalizer and returns the Task as written, or
 * undefined when it is gone (removing the last finalizer of a deleting Task deletes it).
 */
export async function setFinalizer(c: FinalizerChange): Promise<Task | undefined> {
  const { api, task, on, opts } = c;
  let current = task;
  for (let attempt = 1; ; attempt++) {
    if (hasFinalizer(current) === on) return current;
    const others = (current.metadata.finalizers ?? []).filter(f => f !== AGENT_FINALIZER);
    const finalizers = on ? [...others, AGENT_FINALIZER] : others;
    try {
      return await api.update({ ...current, metadata: { ...current.metadata, finalizers } }, opts);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      if (!isConflict(e) || attempt >= MAX_ATTEMPTS) throw e;
      const key = { namespace: task.metadata.namespace ?? '', name: task.metadata.name ?? '' };
      try {
        current = await api.get(key, opts.signal === undefined ? {} : { signal: opts.signal });
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
      if (current.metadata.uid !== task.metadata.uid) return undefined;
    }
  }
}
