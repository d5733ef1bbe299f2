import type { RuntimeMetrics } from './metrics.ts';

/**
 * Runnable is a long-running component the Manager starts: a Controller, the allocator loop.
 * `start` blocks until `signal` aborts and the component has stopped (resolving), or until it
 * fails (rejecting, which stops the whole Manager). A Runnable that needs leader election is
 * started each time this process becomes leader, with a signal that aborts when it stops
 * leading, so it must build its state inside `start`, never keep it across starts.
 */
export interface Runnable {
  readonly name: string;
  /** needsLeaderElection: true (the default) runs only while leading; false runs always. */
  readonly needsLeaderElection?: boolean;
  start(signal: AbortSignal): Promise<void>;
  /** instrument, when present, is given the process's metrics by the Manager before start. */
  instrument?(metrics: RuntimeMetrics): void;
}

/** runnableOf makes a Runnable from a function, for loops that need no class. */
export function runnableOf(
  name: string,
  start: (signal: AbortSignal) => Promise<void>,
  opts: { readonly needsLeaderElection?: boolean } = {},
): Runnable {
  return { name, start, needsLeaderElection: opts.needsLeaderElection ?? true };
}
