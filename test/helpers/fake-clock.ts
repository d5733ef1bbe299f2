import type { Clock } from '../../core/util/clock.ts';

interface Sleeper {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

/** settle lets every pending promise chain run (one macrotask turn). */
export function settle(): Promise<void> {
  return new Promise(resolve => setImmediate(resolve));
}

/**
 * FakeClock is a Clock whose time moves only when a test calls `advance`. Sleeps resolve in
 * deadline order as time passes them; a sleep started by code woken during an advance also fires
 * within the same advance if its deadline is reached.
 */
export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private sleepers: Sleeper[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(signal.reason as Error);
        return;
      }
      const onAbort = (): void => {
        this.sleepers = this.sleepers.filter(s => s !== sleeper);
        reject(signal?.reason as Error);
      };
      const sleeper: Sleeper = {
        at: this.t + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** pending is the number of sleeps not yet resolved. */
  get pending(): number {
    return this.sleepers.length;
  }

  /** nextAt is the deadline of the earliest pending sleep, if any. */
  get nextAt(): number | undefined {
    return this.sleepers.reduce<number | undefined>(
      (m, s) => (m === undefined || s.at < m ? s.at : m),
      undefined,
    );
  }

  /** advance moves time forward by `ms`, waking sleepers in order and letting their code run. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      await settle();
      const due = this.sleepers
        .filter(s => s.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.sleepers = this.sleepers.filter(s => s !== due);
      this.t = Math.max(this.t, due.at);
      due.resolve();
    }
    this.t = target;
    await settle();
  }

  /** waitForSleepers resolves once at least `n` sleeps are pending (code reached its wait). */
  async waitForSleepers(n = 1, maxTurns = 1000): Promise<void> {
    for (let i = 0; i < maxTurns; i++) {
      if (this.sleepers.length >= n) return;
      await settle();
    }
    throw new Error(`expected ${n} pending sleeps, have ${this.sleepers.length}`);
  }
}
