// The callbacks a framework implements (Mesos's Scheduler interface, event by event). The driver
// calls them one at a time, in the order the events happened, each awaited before the next.
import type { Framework, Offer, Operation, Task } from '../core/types/index.ts';
import type { FrameworkDriver } from './driver.ts';

/** Awaitable is a value or a promise of it. */
export type Awaitable<T> = T | Promise<T>;

/** RegisteredInfo is what onRegistered learns. */
export interface RegisteredInfo {
  readonly framework: Framework;
  /** reregistered is true when the Framework existed: a failover, time to reconcile. */
  readonly reregistered: boolean;
}

/**
 * Scheduler holds the framework's event handlers; every one is optional. A handler must not wait
 * for a later event (the next one is delivered only after it returns); a handler that throws is
 * reported to onError and the driver goes on.
 */
export interface Scheduler {
  /** onRegistered: the Framework is written and the informers hold the current state. */
  onRegistered?(info: RegisteredInfo, driver: FrameworkDriver): Awaitable<void>;
  /**
   * onOffers: new offers (Mesos resourceOffers), batched as they arrived together. Answer each
   * with driver.accept or driver.decline; an offer left unanswered stays outstanding.
   */
  onOffers?(offers: readonly Offer[], driver: FrameworkDriver): Awaitable<void>;
  /** onRescinded: a delivered, unanswered offer was taken back (Mesos offerRescinded). */
  onRescinded?(offer: Offer, driver: FrameworkDriver): Awaitable<void>;
  /**
   * onTaskStatus: a task's status changed (Mesos statusUpdate), the latest record. At connect
   * every existing task of the framework is delivered once: implicit reconciliation.
   */
  onTaskStatus?(task: Task, driver: FrameworkDriver): Awaitable<void>;
  /** onTaskRemoved: a task's record was deleted (after a kill, a teardown, or by an operator). */
  onTaskRemoved?(task: Task, driver: FrameworkDriver): Awaitable<void>;
  /**
   * onOperationStatus: an operation's feedback state changed (Mesos UPDATE_OPERATION_STATUS).
   * With implicit acknowledgements a terminal state is acknowledged once this returns.
   */
  onOperationStatus?(operation: Operation, driver: FrameworkDriver): Awaitable<void>;
  /** onError: a handler threw, or the driver failed in the background. */
  onError?(error: unknown, driver: FrameworkDriver): void;
}
