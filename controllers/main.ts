// Composition root of the controllers process: builds the real client, clock and manager, and
// registers whatever components the caller passes (the allocator joins here when it lands).
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Namespace } from '../core/client/index.ts';
import { Backoff, Client, builtinKinds, isAlreadyExists } from '../core/client/index.ts';
import type { Clock } from '../core/util/clock.ts';
import { systemClock } from '../core/util/clock.ts';
import type { LoopMetrics } from './allocator/loop.ts';
import type { BindAddress } from './metrics/bind-address.ts';
import { managerHealth } from './metrics/health.ts';
import { ControllersMetrics } from './metrics/registry.ts';
import type { Serving } from './metrics/server.ts';
import { serveHealthAndMetrics } from './metrics/server.ts';
import { Manager } from './runtime/manager.ts';
import type { Runnable } from './runtime/runnable.ts';
import { pause } from './runtime/timing.ts';

/** ControllerContext is what a component factory gets to build itself. */
export interface ControllerContext {
  readonly client: Client;
  /** manager hands out shared informers: `manager.informer(corralKinds.agents)`. */
  readonly manager: Manager;
  readonly clock: Clock;
  readonly logger: Logger;
  /** metrics: the components' sinks when the process serves metrics; absent otherwise. */
  readonly metrics?: { readonly allocator: LoopMetrics };
}

/** Registration is a ready Runnable, or a factory that builds one from the context. */
export type Registration = Runnable | ((ctx: ControllerContext) => Runnable);

/** RunControllersOptions configure one controllers process. */
export interface RunControllersOptions {
  readonly kubeConfig: KubeConfig;
  /** identity names this candidate in the lease; unique per process. */
  readonly identity: string;
  /** leaseNamespace holds the lease; created when missing. */
  readonly leaseNamespace: string;
  /** leaseName is `corral-controllers` by default. */
  readonly leaseName?: string;
  /** runnables are the components to register (the allocator, controllers); may be empty. */
  readonly runnables: readonly Registration[];
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly clock?: Clock;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  /** metrics: where /healthz, /readyz and /metrics listen; absent or disabled: nowhere. */
  readonly metrics?: BindAddress;
  /** apiConnections bounds the connections of plain requests (watches have their own); 128. */
  readonly apiConnections?: number;
}

/**
 * DEFAULT_API_CONNECTIONS is `--api-connections`'s default: room for the offer controller's 48
 * workers (one request each at a time), the allocator's Offer writes and the other controllers
 * at once. The client's usual 64 made passes wait for a connection under load.
 */
export const DEFAULT_API_CONNECTIONS = 128;

/** DEFAULT_LEASE_NAME is the lease the controllers elect their leader with. */
export const DEFAULT_LEASE_NAME = 'corral-controllers';

/**
 * runControllers runs a leader-elected Manager with the given components until `signal` aborts
 * (resolves) or a component fails (rejects). It first binds the metrics endpoint when asked
 * (rejecting if it cannot), then makes sure the lease namespace exists, retrying while the API
 * server is unreachable. The endpoint stops listening once the manager has stopped.
 */
export async function runControllers(opts: RunControllersOptions): Promise<void> {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger;
  const metrics = opts.metrics?.kind === 'listen' ? new ControllersMetrics() : undefined;
  // no controller reads managedFields: answers come without them, as the caches keep none
  const client = Client.fromKubeConfig(opts.kubeConfig, {
    userAgent: 'corral-controllers',
    maxSockets: opts.apiConnections ?? DEFAULT_API_CONNECTIONS,
    omitManagedFields: true,
  });
  let serving: Serving | undefined;
  try {
    const manager = new Manager({
      clock,
      logger,
      client,
      ...(metrics === undefined ? {} : { metrics }),
      leaderElection: {
        leases: client.for(builtinKinds.leases),
        namespace: opts.leaseNamespace,
        name: opts.leaseName ?? DEFAULT_LEASE_NAME,
        identity: opts.identity,
        ...(opts.leaseDurationMs === undefined ? {} : { leaseDurationMs: opts.leaseDurationMs }),
        ...(opts.renewDeadlineMs === undefined ? {} : { renewDeadlineMs: opts.renewDeadlineMs }),
        ...(opts.retryPeriodMs === undefined ? {} : { retryPeriodMs: opts.retryPeriodMs }),
      },
    });
    if (metrics !== undefined && opts.metrics?.kind === 'listen') {
      metrics.observeLeader(() => manager.isLeader());
      serving = await serveHealthAndMetrics({
        host: opts.metrics.host,
        port: opts.metrics.port,
        health: managerHealth(manager, opts.signal),
        metrics,
        logger,
      });
    }
    await ensureNamespace({ client, clock, logger, name: opts.leaseNamespace }, opts.signal);
    const ctx: ControllerContext = {
      client,
      manager,
      clock,
      logger,
      ...(metrics === undefined ? {} : { metrics }),
    };
    for (const r of opts.runnables) manager.add(typeof r === 'function' ? r(ctx) : r);
    logger.info(
      { identity: opts.identity, components: opts.runnables.length },
      'controllers starting',
    );
    await manager.start(opts.signal);
  } finally {
    await serving?.close();
    await client.close();
  }
}

interface EnsureNamespace {
  readonly client: Client;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly name: string;
}

async function ensureNamespace(o: EnsureNamespace, signal: AbortSignal): Promise<void> {
  const ns: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: o.name } };
  const backoff = new Backoff({ initialMs: 500, maxMs: 10_000, jitter: 0.2 });
  while (!signal.aborted) {
    try {
      await o.client.for(builtinKinds.namespaces).create(ns, { signal });
      o.logger.info({ namespace: o.name }, 'created the lease namespace');
      return;
    } catch (err) {
      if (isAlreadyExists(err)) return;
      if (signal.aborted) return;
      const delayMs = backoff.next();
      o.logger.warn({ err, delayMs, namespace: o.name }, 'cannot create the lease namespace yet');
      await pause(o.clock, delayMs, signal);
    }
  }
}
