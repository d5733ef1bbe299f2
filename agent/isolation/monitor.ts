// The polling loop shared by the ports and disk isolators: a set of watched containers, one check
// per container per interval, and a limitation report that the agent turns into a kill.
import type { ResourceMap } from '../../core/types/resources.ts';
import type { TaskReason } from '../../core/types/task.ts';
import type { Clock } from '../../core/util/clock.ts';

/** LimitationReason is the task status reason of a limitation the isolators raise. */
export type LimitationReason = Extract<
  TaskReason,
  'REASON_CONTAINER_LIMITATION' | 'REASON_CONTAINER_LIMITATION_DISK'
>;

/**
 * ContainerLimitation is Mesos's ContainerLimitation: the agent kills the container and reports
 * TASK_FAILED with this reason, message, and `resources` as `TaskStatus.limitation.resources`.
 */
export interface ContainerLimitation {
  readonly containerId: string;
  readonly reason: LimitationReason;
  readonly message: string;
  readonly resources: ResourceMap;
}

/** CheckFn inspects one container; undefined means within its limits. */
export type CheckFn<T> = (
  containerId: string,
  target: T,
  signal: AbortSignal,
) => Promise<ContainerLimitation | undefined>;

/** PollingMonitorOptions configures a PollingMonitor. */
export interface PollingMonitorOptions<T> {
  readonly clock: Clock;
  readonly intervalMs: number;
  readonly check: CheckFn<T>;
  readonly onLimitation: (limitation: ContainerLimitation) => void;
  /** A failed check is reported here and retried next interval; it never stops the loop. */
  readonly onError?: (containerId: string, error: unknown) => void;
}

/**
 * PollingMonitor checks every watched container once per interval, in turn (so a big agent does
 * not start a burst of walks at once). A container is reported at most once: it stops being
 * watched when its limitation is reported, since the agent is about to kill it.
 */
export class PollingMonitor<T> {
  readonly #o: PollingMonitorOptions<T>;
  readonly #watched = new Map<string, T>();

  constructor(options: PollingMonitorOptions<T>) {
    if (!(options.intervalMs > 0)) throw new RangeError('intervalMs must be positive');
    this.#o = options;
  }

  /** watch starts (or, with a new target, updates) the checks of a container. */
  watch(containerId: string, target: T): void {
    this.#watched.set(containerId, target);
  }

  /** unwatch stops checking a container; a check already running for it is discarded. */
  unwatch(containerId: string): void {
    this.#watched.delete(containerId);
  }

  /** watching lists the containers being checked. */
  watching(): string[] {
    return [...this.#watched.keys()];
  }

  /** checkNow runs one round over every watched container and returns what it reported. */
  async checkNow(
    signal: AbortSignal = new AbortController().signal,
  ): Promise<ContainerLimitation[]> {
    const found: ContainerLimitation[] = [];
    for (const [id, target] of [...this.#watched]) {
      if (signal.aborted) break;
      let limitation: ContainerLimitation | undefined;
      try {
        limitation = await this.#o.check(id, target, signal);
      } catch (e) {
        if (!signal.aborted && this.#watched.get(id) === target) this.#o.onError?.(id, e);
        continue;
      }
      // The container may have been removed or re-targeted while it was being measured.
      if (limitation === undefined || this.#watched.get(id) !== target) continue;
      this.#watched.delete(id);
      found.push(limitation);
      this.#o.onLimitation(limitation);
    }
    return found;
  }

  /** run checks every interval until the signal aborts; it resolves (never rejects) then. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.#o.clock.sleep(this.#o.intervalMs, signal);
      } catch {
        return;
      }
      await this.checkNow(signal);
    }
  }
}
