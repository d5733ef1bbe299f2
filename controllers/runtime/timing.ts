// Waiting helpers over a Clock, so nothing in the runtime reads real time directly.
import type { Clock } from '../../core/util/clock.ts';

/** pause waits `ms` on the clock, or less if `signal` aborts; it never rejects. */
export async function pause(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  try {
    await clock.sleep(ms, signal);
  } catch {
    // aborted: callers check the signal
  }
}

/** Deadline bounds a call: `ms` on `clock`, or until `parent` aborts. */
export interface Deadline {
  readonly clock: Clock;
  readonly ms: number;
  readonly parent: AbortSignal;
}

/**
 * withDeadline runs `fn` with a signal that aborts when `parent` does or when `ms` have passed on
 * the clock, whichever comes first; the timer is dropped when `fn` settles.
 */
export async function withDeadline<R>(
  limit: Deadline,
  fn: (signal: AbortSignal) => Promise<R>,
): Promise<R> {
  const { clock, ms, parent } = limit;
  const timer = new AbortController();
  const deadline = new AbortController();
  clock.sleep(ms, timer.signal).then(
    () => deadline.abort(new Error(`deadline of ${ms} ms passed`)),
    () => undefined,
  );
  try {
    return await fn(AbortSignal.any([parent, deadline.signal]));
  } finally {
    timer.abort();
  }
}
