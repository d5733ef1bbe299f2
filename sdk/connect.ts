// connect: the composition root of a framework's connection. It registers the Framework, starts
// informers on the framework's Offers, Tasks and Operations (field selector spec.framework), and
// hands back a started FrameworkDriver.
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { pino } from 'pino';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  Client,
  builtinKinds,
  corralKinds,
  WITHOUT_MANAGED_FIELDS,
  makeSharedInformer,
} from '../core/client/index.ts';
import type { SharedInformer } from '../core/client/index.ts';
import { FEEDBACK_SELECTOR } from '../core/framework/index.ts';
import type { FrameworkSpec } from '../core/types/index.ts';
import type { KubeObject } from '../core/types/meta.ts';
import type { Clock } from '../core/util/clock.ts';
import { systemClock } from '../core/util/clock.ts';
import { FrameworkDriver } from './driver.ts';
import type { DriverApis, Source } from './ports.ts';
import { register } from './registration.ts';
import type { Scheduler } from './scheduler.ts';

/** ConnectOptions say where the framework lives and what it registers with. */
export interface ConnectOptions {
  /** kubeConfig reaches the API server (its current context). */
  readonly kubeConfig: KubeConfig;
  /** namespace holds the Framework and its Offers, Tasks and Operations. */
  readonly namespace: string;
  /** name is the Framework's name; the same name after a restart is a failover. */
  readonly name: string;
  readonly framework: FrameworkSpec;
  readonly scheduler?: Scheduler;
  /** clock defaults to the system clock. */
  readonly clock?: Clock;
  /** signal stops the driver when aborted (as driver.stop()). */
  readonly signal?: AbortSignal;
  /** logger (pino) gets the driver's and informers' logs; default: errors to stderr. */
  readonly logger?: Logger;
  /** implicitAcknowledgements (default true): acknowledge terminal operation states. */
  readonly implicitAcknowledgements?: boolean;
  /**
   * heartbeatIntervalMs (default 5 s) is how often the framework's Lease is renewed; the
   * controllers mark the framework inactive once it goes unrenewed for their timeout (30 s).
   */
  readonly heartbeatIntervalMs?: number;
}

function source<T extends KubeObject>(inf: SharedInformer<T>, namespace: string): Source<T> {
  return {
    on: h => inf.on(h),
    hasSynced: () => inf.hasSynced(),
    waitForSync: s => inf.waitForSync(s),
    list: () => inf.cache.list(namespace),
  };
}

/**
 * connect registers the framework (creating its Framework, or re-registering over the existing
 * one), waits until its informers hold the current Offers, Tasks and Operations, takes its Lease
 * and marks it Active, and returns the started driver, which renews the Lease until it stops. Events start with onRegistered, then every
 * outstanding offer and existing task and operation. Throws ClientError if registration fails
 * (the connection is closed then).
 */
export async function connect(o: ConnectOptions): Promise<FrameworkDriver> {
  const clock = o.clock ?? systemClock;
  // Without a logger, errors (a failing handler with no onError) still reach stderr.
  const logger = o.logger ?? pino({ level: 'error' }, pino.destination(2));
  // the SDK's answers, as its informers' objects, come without managedFields
  const client = Client.fromKubeConfig(o.kubeConfig, { omitManagedFields: true });
  const clients = {
    frameworks: client.for(corralKinds.frameworks),
    offers: client.for(corralKinds.offers),
    tasks: client.for(corralKinds.tasks),
    operations: client.for(corralKinds.operations),
    leases: client.for(builtinKinds.leases),
  };
  const apis: DriverApis = clients;
  const running = new AbortController();
  const runs: Promise<void>[] = [];
  const release = async (): Promise<void> => {
    running.abort();
    await Promise.allSettled(runs);
    await client.close();
  };
  try {
    const registration = await register({
      api: apis.frameworks,
      namespace: o.namespace,
      name: o.name,
      spec: o.framework,
      clock,
      ...(o.signal === undefined ? {} : { signal: o.signal }),
    });
    const select = {
      namespace: o.namespace,
      fieldSelector: `spec.framework=${o.name}`,
      clock,
      logger,
      // frameworks get Tasks, Offers and Operations without managedFields, which none needs
      ...WITHOUT_MANAGED_FIELDS,
    };
    const informers = {
      offers: makeSharedInformer(clients.offers, select),
      tasks: makeSharedInformer(clients.tasks, select),
      // operations accepted without an id are no feedback of the framework's (Mesos)
      operations: makeSharedInformer(clients.operations, {
        ...select,
        labelSelector: FEEDBACK_SELECTOR,
      }),
    };
    const driver = new FrameworkDriver({
      apis,
      sources: {
        offers: source(informers.offers, o.namespace),
        tasks: source(informers.tasks, o.namespace),
        operations: source(informers.operations, o.namespace),
      },
      namespace: o.namespace,
      name: o.name,
      clock,
      logger,
      release,
      framework: registration.framework,
      heartbeat: {
        identity: `${hostname()}-${randomUUID()}`,
        ...(o.heartbeatIntervalMs === undefined ? {} : { intervalMs: o.heartbeatIntervalMs }),
      },
      ...(o.scheduler === undefined ? {} : { scheduler: o.scheduler }),
      ...(o.implicitAcknowledgements === undefined
        ? {}
        : { implicitAcknowledgements: o.implicitAcknowledgements }),
    });
    for (const inf of Object.values(informers)) runs.push(inf.run(running.signal));
    const waiting =
      o.signal === undefined ? running.signal : AbortSignal.any([running.signal, o.signal]);
    await Promise.all(Object.values(informers).map(inf => inf.waitForSync(waiting)));
    await driver.markActive();
    driver.start(registration);
    if (o.signal !== undefined) {
      const stop = (): void => void driver.stop();
      if (o.signal.aborted) stop();
      else o.signal.addEventListener('abort', stop, { once: true });
    }
    return driver;
  } catch (e) {
    await release();
    throw e;
  }
}
