// A counting semaphore: at most `limit` calls run at once, the rest wait in arrival order. It is
// what keeps N hollow agents from sending N requests at the same moment.

/** Limiter runs async calls with bounded concurrency. */
export class Limiter {
  readonly #limit: number;
  readonly #waiting: (() => void)[] = [];
  #running = 0;

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be at least 1');
    this.#limit = limit;
  }

  /** pending is the number of calls running or waiting. */
  get pending(): number {
    return this.#running + this.#waiting.length;
  }

  /** run calls `fn` once a slot is free and settles as it does. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#limit) {
      await new Promise<void>(resolve => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    try {
      return await fn();
    } finally {
      // hand the slot straight to the next caller, so the count never dips and overshoots
      const next = this.#waiting.shift();
      if (next === undefined) this.#running--;
      else next();
    }
  }
}
