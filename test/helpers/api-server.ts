import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import * as k8s from '@kubernetes/client-node';
import { ensureAdminToken, renderKubeconfig, writeKubeconfig } from '../../api/auth/index.ts';
import { startApiServer, type RunningApiServer } from '../../api/main.ts';
import { ensureTlsMaterial } from '../../api/tls/index.ts';
import { sharedEtcd, uniquePrefix } from './etcd.ts';
import { registerFixture } from './fixtures.ts';

/** TestApiServer is a real API server on a free loopback port over the shared etcd. */
export interface TestApiServer {
  readonly server: RunningApiServer;
  readonly url: string;
  /** kubeconfigPath works for kubectl and client-node (https + CA + admin token). */
  readonly kubeconfigPath: string;
  readonly token: string;
  readonly dir: string;
  readonly kubeConfig: k8s.KubeConfig;
  stop(): Promise<void>;
}

/** TestApiServerOptions tune a test server. */
export interface TestApiServerOptions {
  readonly crdDir?: string;
  readonly compactionIntervalMs?: number;
  readonly watchCacheCapacity?: number;
  readonly maxWatchSeconds?: number;
  /** endpoint overrides the shared etcd (e.g. a private one for compaction tests). */
  readonly etcdEndpoint?: string;
  /** root is the etcd key root; give two servers the same one to run them as replicas. */
  readonly root?: string;
  /** tokens are more token-file lines (`token,user,uid,"group1,group2"`) besides the admin's. */
  readonly tokens?: readonly string[];
}

/**
 * startTestApiServer starts the real server with TLS and token auth in its own etcd key root,
 * writes a kubeconfig for it, and registers it to be stopped at the end of the run.
 */
export async function startTestApiServer(opts: TestApiServerOptions = {}): Promise<TestApiServer> {
  const endpoint = opts.etcdEndpoint ?? (await sharedEtcd()).endpoint;
  const dir = mkdtempSync(join(tmpdir(), 'corral-api-'));
  const tls = await ensureTlsMaterial({ dir: join(dir, 'pki') });
  const admin = await ensureAdminToken(dir);
  if (opts.tokens !== undefined)
    appendFileSync(admin.path, opts.tokens.map(t => `${t}\n`).join(''));
  const server = await startApiServer({
    etcdEndpoints: [endpoint],
    root: opts.root ?? uniquePrefix('registry'),
    port: 0,
    tls,
    tokenFile: admin.path,
    logger: pino({ level: process.env['CORRAL_TEST_LOG'] ?? 'silent' }),
    ...(opts.crdDir === undefined ? {} : { crdDir: opts.crdDir }),
    ...(opts.compactionIntervalMs === undefined
      ? {}
      : { compactionIntervalMs: opts.compactionIntervalMs }),
    ...(opts.watchCacheCapacity === undefined
      ? {}
      : { watchCacheCapacity: opts.watchCacheCapacity }),
    ...(opts.maxWatchSeconds === undefined ? {} : { maxWatchSeconds: opts.maxWatchSeconds }),
  });
  const kubeconfigPath = join(dir, 'kubeconfig');
  await writeKubeconfig(
    kubeconfigPath,
    renderKubeconfig({
      server: server.url,
      caCertPem: tls.caCertPem,
      token: admin.token,
      namespace: 'default',
    }),
  );
  const kubeConfig = new k8s.KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath);
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const unregister = registerFixture(stop);
  return {
    server,
    url: server.url,
    kubeconfigPath,
    token: admin.token,
    dir,
    kubeConfig,
    async stop() {
      unregister();
      await stop();
    },
  };
}
