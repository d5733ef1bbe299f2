// controllers/runtime: the Reconciler contract, work queue, Controller, Manager and leader election.
export type { Request, Result, Reconciler } from './reconciler.ts';
export {
  TerminalError,
  done,
  isTerminalError,
  requestFor,
  requestKey,
  requestOfKey,
} from './reconciler.ts';
export type { RateLimiter, ExponentialRateLimiterOptions } from './rate-limiter.ts';
export { ExponentialRateLimiter } from './rate-limiter.ts';
export type { WorkQueueOptions } from './work-queue.ts';
export { WorkQueue } from './work-queue.ts';
export type { ControllerOptions, MapFn } from './controller.ts';
export { Controller } from './controller.ts';
export type { Runnable } from './runnable.ts';
export { runnableOf } from './runnable.ts';
export type { ManagerOptions } from './manager.ts';
export { Manager } from './manager.ts';
export type { LeaderElectionConfig, LeaderElectorOptions, LeaseStore } from './leader-election.ts';
export { LeaderElector } from './leader-election.ts';
export type { Deadline } from './timing.ts';
export { pause, withDeadline } from './timing.ts';
