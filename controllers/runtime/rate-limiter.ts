/** RateLimiter decides how long a failing key waits before its next try. */
export interface RateLimiter {
  /** when records one more failure of `key` and returns the delay before retrying it. */
  when(key: string): number;
  /** forget clears the failure history of `key` (after a success). */
  forget(key: string): void;
  /** failures is how many times `key` failed since it was last forgotten. */
  failures(key: string): number;
}

/** ExponentialRateLimiterOptions: the first delay and the cap. */
export interface ExponentialRateLimiterOptions {
  /** baseMs is the delay after the first failure; 5 ms by default (client-go's). */
  readonly baseMs?: number;
  /** maxMs caps the delay; 5 minutes by default (client-go uses 1000 s). */
  readonly maxMs?: number;
}

/**
 * ExponentialRateLimiter gives each key its own doubling delay: base, 2·base, 4·base, ... up to
 * max, back to base once the key is forgotten. Keys do not slow each other down; there is no
 * overall token bucket (client-go adds one at 10 qps; the API server has no priority-and-fairness
 * to protect yet, and a slow bucket would only hide bugs in tests).
 */
export class ExponentialRateLimiter implements RateLimiter {
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly counts = new Map<string, number>();

  constructor(opts: ExponentialRateLimiterOptions = {}) {
    this.baseMs = opts.baseMs ?? 5;
    this.maxMs = opts.maxMs ?? 300_000;
    if (this.baseMs <= 0 || this.maxMs < this.baseMs)
      throw new RangeError('rate limiter needs 0 < baseMs <= maxMs');
  }

  when(key: string): number {
    const n = this.counts.get(key) ?? 0;
    this.counts.set(key, n + 1);
    // the exponent is capped so 2**n stays finite for keys that fail for days
    return Math.min(this.maxMs, this.baseMs * 2 ** Math.min(n, 62));
  }

  forget(key: string): void {
    this.counts.delete(key);
  }

  failures(key: string): number {
    return this.counts.get(key) ?? 0;
  }
}
