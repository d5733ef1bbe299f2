/** BackoffOptions shape an exponential backoff. */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  /** factor multiplies the delay after each failure; 2 by default. */
  readonly factor?: number;
  /**
   * jitter adds up to this fraction of the delay at random (0.2 → up to +20%), so many clients
   * failing together do not retry together; 0 by default.
   */
  readonly jitter?: number;
  /** random is injected for tests; Math.random by default. */
  readonly random?: () => number;
}

/**
 * Backoff yields growing delays (initial, initial·factor, ... capped at max) until reset after a
 * success. The cap applies before jitter, so a delay never exceeds max·(1 + jitter).
 */
export class Backoff {
  private readonly opts: BackoffOptions;
  private failures = 0;

  constructor(opts: BackoffOptions) {
    if (opts.initialMs <= 0 || opts.maxMs < opts.initialMs)
      throw new RangeError('backoff needs 0 < initialMs <= maxMs');
    this.opts = opts;
  }

  /** attempts is the number of delays handed out since the last reset. */
  get attempts(): number {
    return this.failures;
  }

  /** next returns the delay before the next attempt and grows the following one. */
  next(): number {
    const { initialMs, maxMs, factor = 2, jitter = 0, random = Math.random } = this.opts;
    const base = Math.min(maxMs, initialMs * factor ** Math.min(this.failures, 64));
    this.failures += 1;
    return Math.round(base * (1 + jitter * random()));
  }

  /** reset starts over from the initial delay. */
  reset(): void {
    this.failures = 0;
  }
}
