import { createServer as createHttpsServer } from 'node:https';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import type { Clock } from '../core/util/clock.ts';
import { systemClock } from '../core/util/clock.ts';
import {
  allowAllAuthenticated,
  authenticationMiddleware,
  authorizationMiddleware,
  loadTokenFile,
} from './auth/index.ts';
import { CrdController } from './lifecycle/crd-controller.ts';
import { GarbageCollector } from './lifecycle/garbage-collector.ts';
import { NamespaceLifecycle } from './lifecycle/namespace-lifecycle.ts';
import { composeAdmission } from './handlers/admission.ts';
import { corralAdmission } from './registry/corral-admission.ts';
import { BUILTINS } from './registry/builtins.ts';
import { ResourceRegistry } from './registry/registry.ts';
import { createServerMetrics } from './metrics/index.ts';
import { createApp } from './server/app.ts';
import { createEtcdStore } from './storage/index.ts';
import type { EtcdStore } from './storage/index.ts';

/** ApiServerOptions configures one API server process. */
export interface ApiServerOptions {
  readonly etcdEndpoints: readonly string[];
  /** root is the etcd key root (`/registry`); tests give each server its own. */
  readonly root?: string;
  readonly host?: string;
  /** port 0 picks a free port. */
  readonly port: number;
  /** tls serves https; without it the server speaks plain http (kubectl then sends no token). */
  readonly tls?: { readonly certPem: string; readonly keyPem: string };
  /** tokenFile enables bearer-token authentication (kube's --token-auth-file format). */
  readonly tokenFile?: string;
  /** crdDir holds CRD YAML files installed at start. */
  readonly crdDir?: string;
  readonly compactionIntervalMs?: number;
  /** watchCacheCapacity is the number of events kept per resource for resuming watches. */
  readonly watchCacheCapacity?: number;
  /** maxWatchSeconds caps watch durations (tests); absent = kube's 30–60 min. */
  readonly maxWatchSeconds?: number;
  readonly logger?: Logger;
  readonly clock?: Clock;
}

/** RunningApiServer is a started server; stop() closes listener, controllers and storage. */
export interface RunningApiServer {
  readonly url: string;
  readonly port: number;
  readonly store: EtcdStore;
  readonly registry: ResourceRegistry;
  stop(): Promise<void>;
}

/**
 * startApiServer is the API server's composition root: etcd store with watch cache, resource
 * registry (built-ins + CRDs from crdDir and from etcd), namespace lifecycle, garbage collector,
 * authentication, and the express app on http or https.
 */
export async function startApiServer(opts: ApiServerOptions): Promise<RunningApiServer> {
  const logger = opts.logger ?? pino({ level: process.env['CORRAL_LOG_LEVEL'] ?? 'info' });
  const clock = opts.clock ?? systemClock;
  const root = opts.root ?? '/registry';
  const metrics = createServerMetrics();
  const store = createEtcdStore({
    endpoints: [...opts.etcdEndpoints],
    observer: metrics.etcd,
    ...(opts.compactionIntervalMs === undefined
      ? {}
      : { compactionIntervalMs: opts.compactionIntervalMs }),
    ...(opts.watchCacheCapacity === undefined
      ? {}
      : { watchCache: { capacity: opts.watchCacheCapacity } }),
  });
  const registry = new ResourceRegistry(BUILTINS);
  const parts = { store, registry, root, clock, logger };
  const crds = new CrdController(parts);
  const namespaces = new NamespaceLifecycle(parts);
  const gc = new GarbageCollector(parts);
  let ready = false;
  try {
    if (opts.crdDir !== undefined) await crds.installFiles(opts.crdDir);
    await crds.start();
    await namespaces.start();
    gc.start();
    ready = true;
  } catch (e) {
    crds.stop();
    namespaces.stop();
    gc.stop();
    await store.close();
    throw e;
  }
  const app = createApp({
    deps: {
      store,
      registry,
      clock,
      root,
      logger,
      requests: metrics.requests,
      ...(opts.maxWatchSeconds === undefined ? {} : { maxWatchSeconds: opts.maxWatchSeconds }),
    },
    admission: composeAdmission([namespaces, crds, corralAdmission]),
    ready: () => ready,
    metrics: metrics.serve,
    ...(opts.tokenFile === undefined
      ? {}
      : {
          authenticate: authenticationMiddleware({ authenticator: loadTokenFile(opts.tokenFile) }),
          authorize: authorizationMiddleware({ authorizer: allowAllAuthenticated }),
        }),
  });
  const server: Server = opts.tls
    ? createHttpsServer({ cert: opts.tls.certPem, key: opts.tls.keyPem }, app)
    : createHttpServer(app);
  // watches are long responses: no socket inactivity timeout, and no request timeout on them
  server.timeout = 0;
  server.requestTimeout = 0;
  server.keepAliveTimeout = 65_000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const scheme = opts.tls ? 'https' : 'http';
  const urlHost = host.includes(':') ? `[${host}]` : host;
  logger.info({ url: `${scheme}://${urlHost}:${port}` }, 'api server listening');
  return {
    url: `${scheme}://${urlHost}:${port}`,
    port,
    store,
    registry,
    async stop() {
      ready = false;
      gc.stop();
      namespaces.stop();
      crds.stop();
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
      await store.close();
    },
  };
}
