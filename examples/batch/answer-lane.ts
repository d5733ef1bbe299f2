// Offer answers in flight, a bounded number at a time. The SDK delivers events one after another,
// so a handler that awaited each answer in turn would hold every later event (the next offers,
// task updates) behind a queue of round trips: with thousands of agents the first round alone is
// thousands of offers. Answers to different offers are independent, so they go out together.

/** AnswerLane runs answer writes with at most `limit` in flight and counts the unfinished. */
export class AnswerLane {
  readonly #limit: number;
  readonly #waiting: (() => void)[] = [];
  #running = 0;
  #unfinished = 0;

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be at least 1');
    this.#limit = limit;
  }

  /** unfinished counts the answers queued or in flight. */
  get unfinished(): number {
    return this.#unfinished;
  }

  /**
   * run starts `answer` once a slot is free; `settled` runs after it, with the count already
   * lowered, so it can tell whether this was the last answer in flight. Neither may throw.
   */
  run(answer: () => Promise<void>, settled: () => Promise<void>): void {
    this.#unfinished++;
    void (async () => {
      if (this.#running >= this.#limit) {
        await new Promise<void>(resolve => this.#waiting.push(resolve));
      } else {
        this.#running++;
      }
      try {
        await answer();
      } finally {
        // hand the slot straight to the next answer, so the count never overshoots the limit
        const next = this.#waiting.shift();
        if (next === undefined) this.#running--;
        else next();
        this.#unfinished--;
        await settled();
      }
    })();
  }
}
