// Tasks whose Agent object does not exist (Kubernetes's PodGC for pods of a deleted node). An
// Agent deleted outright, rather than marked gone, leaves its Tasks holding the agent's finalizer
// with nobody to release it; the task controller settles them as if the agent had been marked
// gone. Absence is not proof, though: an agent that registers a moment after its first Task was
// created, or one that re-creates its deleted Agent at its next start, is alive. So a Task is
// settled only once both the Task and the agent's absence are older than a grace period.
import type { Task } from '../../core/types/index.ts';
import type { Clock } from '../../core/util/clock.ts';

/** DEFAULT_MISSING_AGENT_GRACE_MS waits 30 s before taking a missing agent for deleted. */
export const DEFAULT_MISSING_AGENT_GRACE_MS = 30_000;

// Entries this many graces old are dropped: past the grace their exact age no longer matters,
// and a dropped entry only makes a later Task on that name wait one grace more.
const FORGET_AFTER_GRACES = 10;

/** MissingAgents remembers since when this process has seen each agent missing. */
export class MissingAgents {
  readonly #clock: Clock;
  readonly #graceMs: number;
  readonly #since = new Map<string, number>();

  /** The grace is how long an absence must last before a Task is settled; >= 0. */
  constructor(clock: Clock, graceMs: number = DEFAULT_MISSING_AGENT_GRACE_MS) {
    if (!(graceMs >= 0)) throw new RangeError('the missing-agent grace must be >= 0');
    this.#clock = clock;
    this.#graceMs = graceMs;
  }

  /** present forgets the agent's absence: it exists (again). */
  present(agent: string): void {
    this.#since.delete(agent);
  }

  /**
   * waitMs is how long before `task`, whose agent is missing, may be settled: 0 once both the
   * Task (by its creationTimestamp) and the absence (from the first time this process saw it,
   * which the Agent's delete event makes its deletion) are older than the grace.
   */
  waitMs(task: Task): number {
    const now = this.#clock.now();
    const agent = task.spec.agent;
    let since = this.#since.get(agent);
    if (since === undefined) {
      this.#forgetOld(now);
      since = now;
      this.#since.set(agent, since);
    }
    const created = Date.parse(task.metadata.creationTimestamp ?? '');
    const start = Number.isNaN(created) ? since : Math.max(since, created);
    return Math.max(0, start + this.#graceMs - now);
  }

  #forgetOld(now: number): void {
    const horizon = now - FORGET_AFTER_GRACES * Math.max(this.#graceMs, 1000);
    for (const [agent, since] of this.#since) if (since < horizon) this.#since.delete(agent);
  }
}
