// controllers/frameworks: framework liveness. A framework that stops renewing its Lease becomes
// inactive (Active=False), which starts its failover timeout; renewing again makes it active.
import type { Lease } from '../../core/client/index.ts';
import { builtinKinds, corralKinds } from '../../core/client/index.ts';
import { DEFAULT_FRAMEWORK_TIMEOUT_MS, FRAMEWORK_LEASE_LABEL } from '../../core/framework/index.ts';
import type { ControllerContext } from '../main.ts';
import type { Request, Runnable } from '../runtime/index.ts';
import { Controller } from '../runtime/index.ts';
import { FrameworkLivenessReconciler } from './liveness-reconciler.ts';

export type { Verdict } from './liveness.ts';
export { judgeLiveness, renewedAt } from './liveness.ts';
export type {
  FrameworkLivenessOptions,
  FrameworkStatusApi,
  LeaseReadApi,
} from './liveness-reconciler.ts';
export { FrameworkLivenessReconciler } from './liveness-reconciler.ts';

/** FrameworkControllerConfig tunes the framework controller. */
export interface FrameworkControllerConfig {
  /** timeoutMs: how long without a Lease renewal makes a framework inactive; 30 s by default. */
  readonly timeoutMs?: number;
}

/** ownerOf maps a framework's Lease to its Framework (its owner reference). */
export function ownerOf(lease: Lease): Request[] {
  return (lease.metadata.ownerReferences ?? [])
    .filter(r => r.kind === 'Framework')
    .map(r => ({ namespace: lease.metadata.namespace ?? '', name: r.name }));
}

/** frameworkController builds the framework liveness controller from the controllers' context. */
export function frameworkController(
  config: FrameworkControllerConfig = {},
): (ctx: ControllerContext) => Runnable {
  const timeoutMs = config.timeoutMs ?? DEFAULT_FRAMEWORK_TIMEOUT_MS;
  if (!(timeoutMs > 0)) throw new RangeError('the framework timeout must be > 0');
  return ({ client, manager, clock, logger }) => {
    const frameworks = manager.informer(corralKinds.frameworks);
    const leases = manager.informer(builtinKinds.leases, { labelSelector: FRAMEWORK_LEASE_LABEL });
    const reconciler = new FrameworkLivenessReconciler({
      frameworks: frameworks.cache,
      leases: leases.cache,
      api: client.for(corralKinds.frameworks),
      leaseApi: client.for(builtinKinds.leases),
      clock,
      logger,
      timeoutMs,
    });
    return new Controller({ name: 'frameworks', reconciler, clock, logger, workers: 2 })
      .watch(frameworks)
      .watch(leases, ownerOf);
  };
}
