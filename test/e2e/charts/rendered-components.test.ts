// The chart's components, as `helm template` renders them, run for real: the API server, the
// controllers and the agent are started with the rendered arguments and environment, over the
// files their rendered volumes hold (the chart-made certificate, tokens and kubeconfig), against
// the etcd fixture. No Kubernetes cluster runs here, so two things stand in for one: pod-files.ts
// lays the volumes out where the kubelet would mount them (under a temporary root), and the
// Service's address becomes the API server's loopback port while TLS still checks the Service's
// name (tls-server-name). What this cannot show (scheduling, DNS, probes run by a kubelet) needs
// a real cluster.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { freePort } from '../../../core/util/free-port.ts';
import { sharedEtcd, uniquePrefix } from '../../helpers/etcd.ts';
import { eventually } from '../../helpers/eventually.ts';
import { registerFixture } from '../../helpers/fixtures.ts';
import type { Container, Manifest } from '../../unit/charts/helm.ts';
import { container, decodeData, find, NAMESPACE, render } from '../../unit/charts/helm.ts';
import { layOutPod } from './pod-files.ts';

const SVC_HOST = `t-corral-apiserver.${NAMESPACE}.svc`;

/** setFlag replaces the value of a flag the chart rendered; it must be there. */
function setFlag(args: readonly string[], name: string, value: string): string[] {
  const prefix = `--${name}=`;
  if (!args.some(a => a.startsWith(prefix))) throw new Error(`the chart passes no --${name}`);
  return args.map(a => (a.startsWith(prefix) ? `${prefix}${value}` : a));
}

/** envOf is the container's env, with the downward API values a kubelet would fill in. */
function envOf(c: Container, fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of c.env ?? []) {
    const ref = (e.valueFrom as { fieldRef?: { fieldPath: string } } | undefined)?.fieldRef;
    const value = e.value ?? (ref === undefined ? undefined : fields[ref.fieldPath]);
    if (value === undefined) throw new Error(`no value for env ${e.name}`);
    out[e.name] = value;
  }
  return out;
}

/** expand is the kubelet's $(VAR) expansion of arguments. */
const expand = (args: readonly string[], env: Record<string, string>): string[] =>
  args.map(a => a.replace(/\$\(([A-Z_]+)\)/g, (m, v: string) => env[v] ?? m));

interface Proc {
  output(): string;
  stop(): Promise<void>;
}

/** startCorral runs `node cli/corral.ts <args>` as the image's entrypoint would. */
function startCorral(args: readonly string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ['cli/corral.ts', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(child.pid ?? 0, 'SIGTERM');
    const timer = setTimeout(() => process.kill(child.pid ?? 0, 'SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  registerFixture(stop);
  return { output: () => out, stop };
}

interface Reply {
  readonly status: number;
  readonly body: string;
}

/** apiGet asks the API server as a client of the Service would (its name checked by TLS). */
function apiGet(port: number, path: string, o: { ca: string; token?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        ca: o.ca,
        servername: SVC_HOST,
        headers: o.token === undefined ? {} : { authorization: `Bearer ${o.token}` },
      },
      res => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function httpGet(url: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    httpRequest(url, res => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('charts/corral: the rendered components run together (e2e)', function () {
  this.timeout(180_000);
  let objects: Manifest[];
  let root: string;
  let port: number;
  let ca: string;
  let tokens: Record<string, string>;
  const procs: Proc[] = [];

  /** client lays out a client pod (controllers, agent) with its kubeconfig aimed at the server. */
  function clientPod(kind: string, name: string, dir: string): { c: Container; args: string[] } {
    const w = find(objects, kind, name);
    const c = container(w);
    const files = layOutPod(objects, w, c, join(root, dir));
    const path = files.at('/etc/corral/client/kubeconfig');
    const kc = parse(readFileSync(path, 'utf8')) as {
      clusters: { cluster: Record<string, string> }[];
      users: { user: Record<string, string> }[];
    };
    const cluster = kc.clusters[0]?.cluster ?? {};
    const user = kc.users[0]?.user ?? {};
    expect(cluster['server']).to.equal(`https://${SVC_HOST}:443`);
    cluster['server'] = `https://127.0.0.1:${port}`;
    cluster['tls-server-name'] = SVC_HOST;
    cluster['certificate-authority'] = files.at(cluster['certificate-authority'] ?? '');
    user['token-file'] = files.at(user['token-file'] ?? '');
    writeFileSync(path, stringify(kc));
    return { c, args: files.args };
  }

  before(async () => {
    objects = render();
    root = mkdtempSync(join(tmpdir(), 'corral-chart-'));
    registerFixture(() => Promise.resolve(rmSync(root, { recursive: true, force: true })));
    ca = decodeData(find(objects, 'Secret', 't-corral-tls'))['ca.crt'] ?? '';
    tokens = decodeData(find(objects, 'Secret', 't-corral-auth'));
    const w = find(objects, 'Deployment', 't-corral-apiserver');
    const c = container(w);
    const files = layOutPod(objects, w, c, join(root, 'apiserver'));
    port = await freePort();
    let args = setFlag(files.args, 'etcd', (await sharedEtcd()).endpoint);
    args = setFlag(args, 'etcd-prefix', uniquePrefix('chart'));
    args = setFlag(args, 'host', '127.0.0.1');
    args = setFlag(args, 'port', String(port));
    const api = startCorral(args, envOf(c, {}));
    procs.push(api);
    await eventually(
      async () => expect((await apiGet(port, '/readyz', { ca })).status).to.equal(200),
      60_000,
      200,
    ).catch((e: unknown) => {
      throw new Error(`the API server did not become ready: ${String(e)}\n${api.output()}`);
    });
  });

  after(async () => {
    for (const p of procs.reverse()) await p.stop();
  });

  it("serves the chart's certificate for the Service name, /readyz without a token", async () => {
    const r = await apiGet(port, '/readyz', { ca });
    expect(r.body).to.equal('ok');
  });

  it("authenticates the chart's tokens and refuses any other", async () => {
    for (const who of ['admin', 'controllers', 'agent']) {
      const r = await apiGet(port, '/api/v1/namespaces', {
        ca,
        token: tokens[`${who}.token`] ?? '',
      });
      expect(r.status, who).to.equal(200);
    }
    const bogus = await apiGet(port, '/api/v1/namespaces', { ca, token: 'not-a-token' });
    expect(bogus.status).to.equal(401);
  });

  it('runs the controllers from the rendered kubeconfig until one holds the lease, answering its probes', async () => {
    const { c, args: rendered } = clientPod('Deployment', 't-corral-controllers', 'controllers');
    // the chart binds every interface on a fixed port; here a free loopback port stands in
    const metricsPort = await freePort();
    const args = setFlag(rendered, 'metrics-bind-address', `127.0.0.1:${metricsPort}`);
    const ctl = startCorral(args, envOf(c, {}));
    procs.push(ctl);
    const path = '/apis/coordination.k8s.io/v1/namespaces/corral-system/leases/corral-controllers';
    await eventually(
      async () => {
        const r = await apiGet(port, path, { ca, token: tokens['admin.token'] ?? '' });
        expect(r.status, ctl.output()).to.equal(200);
        const lease = JSON.parse(r.body) as { spec: { holderIdentity?: string } };
        expect(lease.spec.holderIdentity).to.be.a('string').and.not.equal('');
      },
      60_000,
      250,
    );
    const at = (path: string | undefined): string => `http://127.0.0.1:${metricsPort}${path ?? ''}`;
    expect(c.ports?.map(p => p.name)).to.deep.equal(['metrics']);
    expect(c.livenessProbe?.httpGet?.port).to.equal('metrics');
    expect((await httpGet(at(c.livenessProbe?.httpGet?.path))).status).to.equal(200);
    await eventually(
      async () =>
        expect((await httpGet(at(c.readinessProbe?.httpGet?.path))).status, ctl.output()).to.equal(
          200,
        ),
      30_000,
      250,
    );
    const annotations = (
      find(objects, 'Deployment', 't-corral-controllers')['spec'] as {
        template: { metadata: { annotations: Record<string, string> } };
      }
    ).template.metadata.annotations;
    const scraped = await httpGet(at(annotations['prometheus.io/path']));
    expect(scraped.status).to.equal(200);
    expect(scraped.body)
      .to.include('corral_leader 1')
      .and.include('workqueue_adds_total{name="offers"}');
  });

  it("registers the agent under the node's name, its liveness endpoint on the API port", async () => {
    const node = `chart-node-${randomBytes(4).toString('hex')}`;
    registerFixture(() =>
      Promise.resolve(rmSync(`/run/corral/${node}`, { recursive: true, force: true })),
    );
    const { c, args: rendered } = clientPod('DaemonSet', 't-corral-agent', 'agent');
    const env = envOf(c, { 'spec.nodeName': node });
    const apiPort = await freePort();
    const args = setFlag(expand(rendered, env), 'api-port', String(apiPort));
    expect(args).to.include(`--name=${node}`);
    const agent = startCorral(args, env);
    procs.push(agent);
    await eventually(
      async () => {
        const r = await apiGet(port, `/apis/corral.dev/v1alpha1/agents/${node}`, {
          ca,
          token: tokens['admin.token'] ?? '',
        });
        expect(r.status, agent.output()).to.equal(200);
        const a = JSON.parse(r.body) as {
          status?: { conditions?: { type: string; status: string }[] };
        };
        expect(a.status?.conditions?.find(x => x.type === 'Ready')?.status).to.equal('True');
      },
      90_000,
      250,
    );
    const probe = c.livenessProbe?.httpGet;
    expect(probe?.host).to.equal('127.0.0.1');
    const health = await httpGet(`http://${probe?.host ?? ''}:${apiPort}${probe?.path ?? ''}`);
    expect(health.status).to.equal(200);
  });
});
