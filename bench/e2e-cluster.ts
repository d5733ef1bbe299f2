// The cluster of the end-to-end benchmark, one process per component as in production: the API
// server (`corral apiserver`, TLS and a token) over an etcd the caller started, the hollow agents
// (`corral agent --hollow N`), the controllers (`corral controllers`) and the batch example
// framework (`node examples/batch/main.ts`). Started in that order, each once the one before is
// ready; stopped newest first by pid.
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ensureAdminToken, renderKubeconfig, writeKubeconfig } from '../api/auth/index.ts';
import { ensureTlsMaterial } from '../api/tls/index.ts';
import { freePort } from '../core/util/free-port.ts';
import type { NodeProcess } from './e2e-procs.ts';
import { spawnNode } from './e2e-procs.ts';

const CORRAL = 'cli/corral.ts';
const BATCH = 'examples/batch/main.ts';

// logLevel is a component's log level: info, or what CORRAL_BENCH_LOG says for it
// (`controllers=debug,hollow=warn`).
function logLevel(name: string): string {
  for (const item of (process.env['CORRAL_BENCH_LOG'] ?? '').split(',')) {
    const [who, level] = item.split('=');
    if (who === name && level !== undefined && level !== '') return level;
  }
  return 'info';
}

/** ClusterOptions size the cluster and say where its files go. */
export interface ClusterOptions {
  readonly etcdEndpoint: string;
  /** dir holds certificates, the token file, the kubeconfig and every component's log. */
  readonly dir: string;
  /** profileDir, when set, has the API server and the controllers write CPU profiles there. */
  readonly profileDir?: string;
}

/** Cluster is the running control plane; components are added by the start* calls. */
export class Cluster {
  readonly #o: ClusterOptions;
  readonly #procs: NodeProcess[] = [];
  readonly kubeconfigPath: string;
  #kubeConfig: KubeConfig | undefined;

  constructor(o: ClusterOptions) {
    this.#o = o;
    this.kubeconfigPath = join(o.dir, 'kubeconfig');
  }

  /** kubeConfig reaches the API server (after startApiServer). */
  get kubeConfig(): KubeConfig {
    if (this.#kubeConfig === undefined) throw new Error('the API server is not started');
    return this.#kubeConfig;
  }

  /** processes are the components started so far, oldest first. */
  get processes(): readonly NodeProcess[] {
    return this.#procs;
  }

  #spawn(name: string, script: string, args: readonly string[], profile: boolean): NodeProcess {
    const dir = this.#o.dir;
    const profileDir = profile ? this.#o.profileDir : undefined;
    const p = spawnNode({
      name,
      script,
      args,
      dir,
      ...(profileDir === undefined ? {} : { profileDir }),
      env: { CORRAL_LOG_LEVEL: logLevel(name) },
    });
    this.#procs.push(p);
    return p;
  }

  /** startApiServer runs `corral apiserver` and writes a kubeconfig once it listens. */
  async startApiServer(): Promise<NodeProcess> {
    const { dir } = this.#o;
    const tls = await ensureTlsMaterial({ dir: join(dir, 'pki') });
    const admin = await ensureAdminToken(dir);
    const port = await freePort();
    const p = this.#spawn(
      'apiserver',
      CORRAL,
      [
        'apiserver',
        ...['--etcd', this.#o.etcdEndpoint, '--port', String(port)],
        ...['--tls-dir', join(dir, 'pki'), '--token-file', admin.path, '--crd-dir', 'crds'],
      ],
      true,
    );
    await p.waitForLine(l => l.includes('api server listening'), 60_000);
    const server = `https://127.0.0.1:${port}`;
    await writeKubeconfig(
      this.kubeconfigPath,
      renderKubeconfig({ server, caCertPem: tls.caCertPem, token: admin.token }),
    );
    const kc = new KubeConfig();
    kc.loadFromFile(this.kubeconfigPath);
    this.#kubeConfig = kc;
    return p;
  }

  /** startHollow runs `corral agent --hollow` and resolves once every agent is registered. */
  async startHollow(h: {
    count: number;
    heartbeatSeconds: number;
  }): Promise<{ proc: NodeProcess; registerMs: number }> {
    const p = this.#spawn(
      'hollow',
      CORRAL,
      [
        ...['agent', '--kubeconfig', this.kubeconfigPath],
        ...['--hollow', String(h.count), '--hollow-prefix', 'e2e'],
        // tasks run until the end of the bench: their FINISHED is not what is measured
        ...['--hollow-task-seconds', '0', '--heartbeat-interval', String(h.heartbeatSeconds)],
      ],
      true,
    );
    const line = await p.waitForLine(l => l.includes('hollow agents started'), 600_000);
    const registerMs = (JSON.parse(line) as { registerMs?: number }).registerMs ?? NaN;
    return { proc: p, registerMs };
  }

  /**
   * startControllers runs `corral controllers` and resolves once the allocator rebuilt its model
   * from the API (it then knows every agent); returns how many agents it counted.
   */
  async startControllers(): Promise<{ proc: NodeProcess; agents: number }> {
    const p = this.#spawn(
      'controllers',
      CORRAL,
      ['controllers', '--kubeconfig', this.kubeconfigPath],
      true,
    );
    const line = await p.waitForLine(l => l.includes('allocator leading'), 120_000);
    return { proc: p, agents: (JSON.parse(line) as { agents?: number }).agents ?? NaN };
  }

  /** startBatch runs the batch example framework for `tasks` tasks of `resources` each. */
  startBatch(b: { namespace: string; tasks: number; resources: string }): NodeProcess {
    return this.#spawn(
      'batch',
      BATCH,
      [
        ...['--kubeconfig', this.kubeconfigPath, '--namespace', b.namespace],
        ...['--tasks', String(b.tasks), '--resources', b.resources, '--keep'],
      ],
      true,
    );
  }

  /**
   * stop ends every component, newest first. The batch framework is killed outright: on a
   * polite stop it would kill its tens of thousands of tasks one by one, which is not what this
   * bench measures, and its records go with the bench's etcd.
   */
  async stop(): Promise<void> {
    for (const p of [...this.#procs].reverse()) {
      try {
        // a profiled process writes its profile on the way out: give it time
        await p.stop(
          p.name === 'batch' ? 'SIGKILL' : 'SIGTERM',
          this.#o.profileDir ? 120_000 : 15_000,
        );
      } catch {
        // already gone
      }
    }
  }
}
