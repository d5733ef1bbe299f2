// Deadlines for many keys on one timer: a min-heap of (time, key) and a single sleep until the
// earliest, instead of one sleep per key. Thousands of hollow agents and their Tasks each wait
// for something (a heartbeat, the end of a simulated run); a sleep each would mean thousands of
// timers and abort listeners on one signal.
import type { Clock } from './clock.ts';

interface Entry {
  readonly at: number;
  readonly key: string;
}

// longest sleep with nothing due; an earlier deadline wakes the loop anyway
const IDLE_MS = 60_000;

/** TimerQueue fires keys when their deadlines pass; a key has at most one deadline, its earliest. */
export class TimerQueue {
  readonly #clock: Clock;
  readonly #heap: Entry[] = [];
  readonly #due = new Map<string, number>();
  #wake: AbortController | undefined;
  #sleepingUntil = Infinity;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** size is the number of keys waiting. */
  get size(): number {
    return this.#due.size;
  }

  /** at asks for `key` to fire at `atMs`; an earlier deadline already set for it wins. */
  at(key: string, atMs: number): void {
    const current = this.#due.get(key);
    if (current !== undefined && current <= atMs) return;
    this.#due.set(key, atMs);
    this.#push({ at: atMs, key });
    // wake the loop only while it sleeps past this deadline: deadlines set while it fires keys
    // are seen before its next sleep, and each abort() builds an AbortError (a stack trace)
    if (this.#wake !== undefined && atMs < this.#sleepingUntil) {
      this.#wake.abort();
      this.#wake = undefined;
    }
  }

  /** cancel forgets the deadline of `key`. */
  cancel(key: string): void {
    this.#due.delete(key); // its heap entry is skipped when it surfaces
  }

  /** run calls `fire` for each key whose deadline passed, until `signal` aborts. */
  async run(signal: AbortSignal, fire: (key: string) => void): Promise<void> {
    const stop = (): void => this.#wake?.abort();
    signal.addEventListener('abort', stop, { once: true });
    try {
      while (!signal.aborted) {
        const now = this.#clock.now();
        // take every due key before firing any, so a key `fire` sets again waits its turn
        const due: string[] = [];
        for (let top = this.#heap[0]; top !== undefined && top.at <= now; top = this.#heap[0]) {
          this.#pop();
          if (this.#due.get(top.key) !== top.at) continue; // cancelled or moved earlier
          this.#due.delete(top.key);
          due.push(top.key);
        }
        for (const key of due) fire(key);
        const next = this.#heap[0]?.at;
        const wait = next === undefined ? IDLE_MS : Math.max(0, next - now);
        const wake = new AbortController();
        this.#wake = wake;
        this.#sleepingUntil = now + wait;
        await this.#clock.sleep(wait, wake.signal).catch(() => undefined);
        this.#wake = undefined;
        this.#sleepingUntil = Infinity;
      }
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }

  #push(e: Entry): void {
    const h = this.#heap;
    h.push(e);
    for (let i = h.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if ((h[parent]?.at ?? -Infinity) <= e.at) break;
      h[i] = h[parent] as Entry;
      h[parent] = e;
      i = parent;
    }
  }

  #pop(): void {
    const h = this.#heap;
    const last = h.pop();
    if (last === undefined || h.length === 0) return;
    h[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if ((h[l]?.at ?? Infinity) < (h[least]?.at ?? Infinity)) least = l;
      if ((h[r]?.at ?? Infinity) < (h[least]?.at ?? Infinity)) least = r;
      if (least === i) return;
      [h[i], h[least]] = [h[least] as Entry, h[i] as Entry];
      i = least;
    }
  }
}
