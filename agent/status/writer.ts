// Writes Task status through `/status`, level-based: the next status is computed from the freshest
// copy of the Task the agent has seen (its informer's, or the one its own last write returned,
// whichever is newer) and written only when it differs, with the copy's resourceVersion, so a
// concurrent writer is never overwritten blindly. On Conflict it reads the Task again and
// recomputes; a final state read back is kept, whatever the observation says.
import type { Logger } from 'pino';
import type { CallOptions, ObjectKey, WriteOptions } from '../../core/client/index.ts';
import { isConflict, isNotFound } from '../../core/client/index.ts';
import type { Task } from '../../core/types/task.ts';
import type { Clock } from '../../core/util/clock.ts';
import { taskKey } from '../sync/names.ts';
import type { Observation } from './observation.ts';
import { nextStatus } from './transitions.ts';

/** TaskStatusApi is what the writer needs of the API: the typed client of Tasks fits. */
export interface TaskStatusApi {
  get(key: ObjectKey, opts?: CallOptions): Promise<Task>;
  updateStatus(obj: Task, opts?: WriteOptions): Promise<Task>;
}

/** TaskStatusWriterOptions wire the writer. */
export interface TaskStatusWriterOptions {
  readonly api: TaskStatusApi;
  readonly clock: Clock;
  readonly logger: Logger;
  /** fieldManager names the agent in managedFields. */
  readonly fieldManager: string;
}

const MAX_ATTEMPTS = 5;

function revision(t: Task | undefined): bigint {
  try {
    return BigInt(t?.metadata.resourceVersion ?? '0');
  } catch {
    return 0n;
  }
}

/** freshest is whichever copy of a Task carries the later resourceVersion. */
export function freshest(a: Task | undefined, b: Task | undefined): Task | undefined {
  if (a === undefined) return b;
  if (b === undefined || b.metadata.uid !== a.metadata.uid) return a;
  return revision(b) > revision(a) ? b : a;
}

/** TaskStatusWriter is the agent's only writer of Task status. */
export class TaskStatusWriter {
  readonly #o: TaskStatusWriterOptions;
  readonly #written = new Map<string, Task>();
  #silenced = false;

  constructor(options: TaskStatusWriterOptions) {
    this.#o = options;
  }

  /**
   * silence makes every later observe write nothing (the agent was marked gone: the Tasks are
   * the controllers' now); a write already under way still lands.
   */
  silence(): void {
    this.#silenced = true;
  }

  /** latest is the freshest copy of `task` known (the cache's or our last write's). */
  latest(task: Task): Task {
    return freshest(task, this.#written.get(task.metadata.uid ?? '')) ?? task;
  }

  /** remember keeps a copy the agent wrote outside status (a finalizer change). */
  remember(task: Task): void {
    const uid = task.metadata.uid ?? '';
    this.#written.set(uid, freshest(task, this.#written.get(uid)) ?? task);
  }

  /** forget drops what the writer remembers of a Task that is gone. */
  forget(uid: string): void {
    this.#written.delete(uid);
  }

  /**
   * observe records `obs` on the Task: writes the next status if it differs and returns the Task
   * as it now stands, or undefined when the Task no longer exists.
   */
  async observe(task: Task, obs: Observation, signal?: AbortSignal): Promise<Task | undefined> {
    let base = this.latest(task);
    for (let attempt = 1; ; attempt++) {
      const now = new Date(this.#o.clock.now()).toISOString();
      const next = nextStatus(base.status, obs, now);
      if (next === base.status || this.#silenced) return base;
      try {
        const written = await this.#o.api.updateStatus(
          { ...base, status: next },
          { fieldManager: this.#o.fieldManager, ...(signal === undefined ? {} : { signal }) },
        );
        this.#written.set(written.metadata.uid ?? '', written);
        this.#log(base, written, obs);
        return written;
      } catch (e) {
        if (isNotFound(e)) return undefined;
        if (!isConflict(e) || attempt >= MAX_ATTEMPTS) throw e;
        const key = { namespace: base.metadata.namespace ?? '', name: base.metadata.name ?? '' };
        base = await this.#o.api.get(key, signal === undefined ? {} : { signal });
        if (base.metadata.uid !== task.metadata.uid) return undefined; // a new Task by that name
      }
    }
  }

  // One line per transition; a change within a state (pid, health) is logged at debug.
  #log(before: Task, after: Task, obs: Observation): void {
    const from = before.status?.state;
    const s = after.status;
    const line = {
      task: taskKey(after),
      uid: after.metadata.uid,
      from,
      state: s?.state,
      reason: s?.reason,
      message: s?.message,
      healthy: s?.healthy,
      exitCode: s?.containerStatus?.exitCode,
      observed: obs.type,
    };
    if (from === s?.state) this.#o.logger.debug(line, 'task status updated');
    else this.#o.logger.info(line, 'task state changed');
  }
}
