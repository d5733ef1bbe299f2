// Serial delivery: events run one after another, each awaited, as Mesos's scheduler driver
// delivers its event stream. No timers: order is the order of push.

/** EventQueue runs pushed jobs one at a time; a failing job is reported and the queue goes on. */
export class EventQueue {
  #tail: Promise<void> = Promise.resolve();
  #closed = false;
  readonly #onError: (error: unknown) => void;

  constructor(onError: (error: unknown) => void) {
    this.#onError = onError;
  }

  /** push appends a job; after close it is dropped. */
  push(job: () => unknown): void {
    if (this.#closed) return;
    this.#tail = this.#tail.then(async () => {
      if (this.#closed) return;
      try {
        await job();
      } catch (e) {
        this.#onError(e);
      }
    });
  }

  /** idle resolves once every job pushed so far has run (do not await it from inside a job). */
  idle(): Promise<void> {
    return this.#tail;
  }

  /** close drops the jobs not started yet and every later push. */
  close(): void {
    this.#closed = true;
  }

  /** closed tells whether close was called. */
  get closed(): boolean {
    return this.#closed;
  }
}
