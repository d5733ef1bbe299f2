// What the runtime reports about its queues and reconciles, as narrow sinks it declares itself:
// the Prometheus side lives in controllers/metrics and is wired by main.ts, so a queue or a
// controller built in a unit test needs no registry (the no-op sinks below are the default).

/**
 * QueueMetrics is what a WorkQueue reports. Both calls sit on the hot path (the offer controller
 * adds thousands of keys a second), so an implementation only bumps a number.
 */
export interface QueueMetrics {
  /** added: a key became queued (an add of a key already waiting is not counted, as client-go). */
  added(): void;
  /** retried: a key was re-added after its failure backoff (`addRateLimited`). */
  retried(): void;
}

/** ControllerMetrics is what one Controller reports about its queue and its reconcile passes. */
export interface ControllerMetrics extends QueueMetrics {
  /** startWork is called as a pass starts; the function it returns is called as it ends. */
  startWork(): () => void;
  /** failed: a pass threw (retried or terminal; an abort at shutdown is not a failure). */
  failed(): void;
  /** observeDepth reads the queue's length at scrape time while it runs; returns the undo. */
  observeDepth(len: () => number): () => void;
}

/** RuntimeMetrics hands each named controller its sink. */
export interface RuntimeMetrics {
  controller(name: string): ControllerMetrics;
}

const noop = (): void => undefined;

/** noControllerMetrics records nothing: the default of a controller nobody instruments. */
export const noControllerMetrics: ControllerMetrics = {
  added: noop,
  retried: noop,
  startWork: () => noop,
  failed: noop,
  observeDepth: () => noop,
};
