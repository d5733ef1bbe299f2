// What the agent process itself knows about each Task it handles, beyond the API and the runtime:
// whether it created the container, whether it is watching it, the health verdict, and the
// per-task loops to stop. Lost on restart by design: recovery rebuilds it from the runtime.
import type { Task } from '../../core/types/task.ts';
import type { VolumeDisk } from '../isolation/disk-monitor.ts';
import { taskContainerId } from './names.ts';

/** LocalTask is the agent's in-memory view of one Task (one uid). */
export interface LocalTask {
  readonly key: string;
  readonly uid: string;
  readonly containerId: string;
  /** running: the container was seen running and no end has been noticed since. */
  running: boolean;
  pid?: number;
  /** since is when the container started (ms on the agent clock), for health and max time. */
  since?: number;
  /** supervision stops the task's health checks and timers; set while supervised. */
  supervision?: AbortController | undefined;
  disks?: readonly VolumeDisk[];
  healthy?: boolean;
  /**
   * hasContainer: a container (or what a failed launch left: sandbox, image lease) may exist,
   * because this process began a launch or recovery found one; false once it is destroyed.
   */
  hasContainer: boolean;
}

/** TaskPass is one sync pass over a Task: the Task as read, the agent's view of it, the signal. */
export interface TaskPass {
  readonly task: Task;
  readonly local: LocalTask;
  readonly signal: AbortSignal;
}

/** LocalTasks indexes LocalTask by Task key and by container id. */
export class LocalTasks {
  readonly #byKey = new Map<string, LocalTask>();
  readonly #byContainer = new Map<string, LocalTask>();

  /** get is the entry of a key. */
  get(key: string): LocalTask | undefined {
    return this.#byKey.get(key);
  }

  /** byContainer is the entry of a container id. */
  byContainer(containerId: string): LocalTask | undefined {
    return this.#byContainer.get(containerId);
  }

  /** ensure returns the entry of (key, uid), making a fresh one if none is there. */
  ensure(key: string, uid: string): LocalTask {
    const old = this.#byKey.get(key);
    if (old?.uid === uid) return old;
    const fresh: LocalTask = {
      key,
      uid,
      containerId: taskContainerId(uid),
      running: false,
      hasContainer: false,
    };
    this.#byKey.set(key, fresh);
    this.#byContainer.set(fresh.containerId, fresh);
    return fresh;
  }

  /** remove forgets an entry. */
  remove(local: LocalTask): void {
    if (this.#byKey.get(local.key) === local) this.#byKey.delete(local.key);
    this.#byContainer.delete(local.containerId);
  }

  /** all lists the entries. */
  all(): LocalTask[] {
    return [...this.#byKey.values()];
  }
}
