import { mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { startEtcd } from '../api/etcd/process.ts';
import { ensureAdminToken, renderKubeconfig, writeKubeconfig } from '../api/auth/index.ts';
import { startApiServer } from '../api/main.ts';
import { ensureTlsMaterial } from '../api/tls/index.ts';
import { pino } from 'pino';
import { DEFAULT_CRD_DIR } from './apiserver.ts';
import { startLocalAgent } from './agent.ts';
import { startControllers } from './controllers.ts';
import { onShutdown } from './shutdown.ts';

/** UpFlags are the `corral up` flags. */
export interface UpFlags {
  dataDir: string;
  apiPort: number;
  etcdPort: number;
  etcdPeerPort: number;
  reset: boolean;
  agentName?: string;
}

function ensurePortFree(port: number, what: string): Promise<void> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', () => {
      fail(
        new Error(
          `port ${port} (${what}) is already in use; pick another with --${what}-port or stop what holds it`,
        ),
      );
    });
    srv.listen(port, '127.0.0.1', () => srv.close(() => ok()));
  });
}

/**
 * runUp brings up a single-node cluster in one process tree: a local etcd in `<data>/etcd`, the
 * API server on https with a generated CA and an admin token, and a kubeconfig that kubectl
 * uses as is. Running it again reuses the data; `--reset` starts fresh.
 */
export async function runUp(flags: UpFlags): Promise<void> {
  const dataDir = resolve(flags.dataDir);
  try {
    if (flags.reset) rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(join(dataDir, 'logs'), { recursive: true });
    await ensurePortFree(flags.apiPort, 'api');
    await ensurePortFree(flags.etcdPort, 'etcd');
    await ensurePortFree(flags.etcdPeerPort, 'etcd-peer');
  } catch (e) {
    process.stderr.write(`corral up: ${(e as Error).message}\n`);
    process.exit(1);
  }
  const etcd = await startEtcd({
    dataDir: join(dataDir, 'etcd'),
    clientPort: flags.etcdPort,
    peerPort: flags.etcdPeerPort,
    logFile: join(dataDir, 'logs', 'etcd.log'),
    // Ctrl-C must not stop etcd before the agent and controllers have written their last
    ownGroup: true,
  });
  const tls = await ensureTlsMaterial({ dir: join(dataDir, 'pki') });
  const admin = await ensureAdminToken(dataDir);
  const logger = pino({ level: 'info' }, pino.destination(join(dataDir, 'logs', 'apiserver.log')));
  const api = await startApiServer({
    etcdEndpoints: [etcd.endpoint],
    port: flags.apiPort,
    tls,
    tokenFile: admin.path,
    crdDir: DEFAULT_CRD_DIR,
    logger,
  });
  const kubeconfig = join(dataDir, 'kubeconfig');
  await writeKubeconfig(
    kubeconfig,
    renderKubeconfig({
      server: `https://127.0.0.1:${api.port}`,
      caCertPem: tls.caCertPem,
      token: admin.token,
    }),
  );
  // controllers (issue 4): in-process, leader-elected, through the kubeconfig just written
  const controllers = startControllers({
    kubeconfigPath: kubeconfig,
    logger: pino({ level: 'info' }, pino.destination(join(dataDir, 'logs', 'controllers.log'))),
  });
  controllers.done.catch((e: unknown) =>
    process.stderr.write(`controllers failed: ${String(e)}\n`),
  );
  // agent (issue 6): one in-process agent; where it cannot run containers it prints why and the
  // control plane runs without it
  const agent = await startLocalAgent({
    dataDir,
    kubeconfigPath: kubeconfig,
    logger: pino({ level: 'info' }, pino.destination(join(dataDir, 'logs', 'agent.log'))),
    ...(flags.agentName === undefined ? {} : { name: flags.agentName }),
  });
  process.stdout.write(
    [
      '',
      'Corral is up.',
      `  API server   https://127.0.0.1:${api.port}`,
      `  etcd         ${etcd.endpoint} (data in ${join(dataDir, 'etcd')})`,
      `  agent        ${agent === undefined ? 'none (see above)' : `${agent.name}, API ${agent.apiUrl}`}`,
      `  kubeconfig   ${kubeconfig}`,
      `  logs         ${join(dataDir, 'logs')}`,
      '',
      'Try:',
      `  export KUBECONFIG=${kubeconfig}`,
      '  kubectl api-resources',
      '  kubectl create namespace demo',
      '',
      'Ctrl-C stops everything; `npm start` again resumes with the same data; `--reset` starts fresh.',
      '',
    ].join('\n'),
  );
  onShutdown(async () => {
    await agent?.stop(); // its containers keep running; the next `corral up` recovers them
    await controllers.stop();
    await api.stop();
    await etcd.stop();
  });
}
