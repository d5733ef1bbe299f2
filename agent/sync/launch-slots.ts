// Bounded parallelism for the CPU-heavy part of launches (runc create and start). The Task
// executor's cap (32) counts every pass, including kills that sit out a grace period; on a
// 2-core host 32 runc creates at once only make each one slower (every container's launch then
// takes as long as the whole batch), so creates get a smaller cap of their own, in arrival order.

/** LaunchSlots lets at most `limit` holders run at once; the rest wait first come, first served. */
export class LaunchSlots {
  readonly #limit: number;
  readonly #waiting: { readonly go: () => void; readonly signal?: AbortSignal }[] = [];
  readonly #quiet = new Set<() => void>();
  #running = 0;

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be at least 1');
    this.#limit = limit;
  }

  /** busy is true while a launch runs or waits for a slot. */
  get busy(): boolean {
    return this.#running > 0 || this.#waiting.length > 0;
  }

  /** quiet resolves once no launch runs or waits (at once if none does). */
  quiet(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise(resolve => this.#quiet.add(resolve));
  }

  /** run calls `fn` in a free slot; a wait ended by `signal` rejects with its reason. */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.#running < this.#limit) this.#running++;
    else await this.#wait(signal);
    try {
      return await fn();
    } finally {
      this.#release();
    }
  }

  #wait(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    return new Promise<void>((resolve, reject) => {
      const entry = {
        go: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        ...(signal === undefined ? {} : { signal }),
      };
      const onAbort = (): void => {
        const i = this.#waiting.indexOf(entry);
        if (i >= 0) this.#waiting.splice(i, 1);
        const why: unknown = signal?.reason;
        reject(why instanceof Error ? why : new Error('aborted while waiting for a launch slot'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(entry);
    });
  }

  // the slot passes straight to the next waiter, so the count never dips and overshoots
  #release(): void {
    const next = this.#waiting.shift();
    if (next === undefined) this.#running--;
    else next.go();
    if (!this.busy) {
      for (const done of this.#quiet) done();
      this.#quiet.clear();
    }
  }
}
