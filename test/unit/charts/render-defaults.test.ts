// `helm template` with the chart's defaults: which objects, and how each component is wired.
import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import { parse } from 'yaml';
import { parseTokenFile } from '../../../api/auth/token-file.ts';
import type { Manifest } from './helm.ts';
import { container, decodeData, find, flag, NAMESPACE, podSpec, render } from './helm.ts';

const SVC_HOST = `t-corral-apiserver.${NAMESPACE}.svc`;

describe('charts/corral rendered with the default values', () => {
  let objects: Manifest[];
  before(() => {
    objects = render();
  });

  it('renders etcd, the API server, the controllers, the agent and their config', () => {
    const names = objects.map(o => `${o.kind}/${o.metadata.name}`).sort();
    expect(names).to.deep.equal([
      'ConfigMap/t-corral-kubeconfig',
      'DaemonSet/t-corral-agent',
      'Deployment/t-corral-apiserver',
      'Deployment/t-corral-controllers',
      'NetworkPolicy/t-corral-etcd',
      'Secret/t-corral-auth',
      'Secret/t-corral-tls',
      'Service/t-corral-apiserver',
      'Service/t-corral-etcd-peers',
      'StatefulSet/t-corral-etcd',
    ]);
    for (const o of objects) expect(o.metadata.namespace, o.metadata.name).to.equal(NAMESPACE);
  });

  it('runs one etcd member on a PersistentVolumeClaim, probed on /health', () => {
    const sts = find(objects, 'StatefulSet', 't-corral-etcd');
    const spec = sts['spec'] as Record<string, unknown>;
    expect(spec['replicas']).to.equal(1);
    expect(spec['podManagementPolicy']).to.equal('Parallel');
    expect(spec['volumeClaimTemplates']).to.deep.equal([
      {
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '8Gi' } } },
      },
    ]);
    const c = container(sts);
    const host = `$(POD_NAME).t-corral-etcd-peers.${NAMESPACE}.svc.cluster.local`;
    expect(flag(c.command, 'advertise-client-urls')).to.equal(`http://${host}:2379`);
    expect(flag(c.command, 'initial-cluster')).to.equal(
      `t-corral-etcd-0=http://t-corral-etcd-0.t-corral-etcd-peers.${NAMESPACE}.svc.cluster.local:2380`,
    );
    expect(flag(c.command, 'quota-backend-bytes')).to.equal('8589934592');
    expect(c.volumeMounts).to.deep.include({ name: 'data', mountPath: '/var/lib/etcd' });
    expect(c.readinessProbe?.httpGet?.path).to.equal('/health');
    expect(c.livenessProbe?.httpGet?.path).to.equal('/health?serializable=true');
    expect(podSpec(sts).securityContext).to.include({ runAsNonRoot: true, fsGroup: 65532 });
  });

  it('runs the API server on https with the chart-made certificate and the token file', () => {
    const dep = find(objects, 'Deployment', 't-corral-apiserver');
    expect((dep['spec'] as { replicas: number }).replicas).to.equal(2);
    const c = container(dep);
    expect(c.image).to.equal('corral:0.1.0');
    expect(c.args?.[0]).to.equal('apiserver');
    expect(flag(c.args, 'etcd')).to.equal(
      `http://t-corral-etcd-0.t-corral-etcd-peers.${NAMESPACE}.svc.cluster.local:2379`,
    );
    expect(flag(c.args, 'host')).to.equal('0.0.0.0');
    expect(flag(c.args, 'port')).to.equal('6443');
    expect(flag(c.args, 'tls-cert-file')).to.equal('/etc/corral/tls/tls.crt');
    expect(flag(c.args, 'tls-private-key-file')).to.equal('/etc/corral/tls/tls.key');
    expect(flag(c.args, 'token-file')).to.equal('/etc/corral/auth/tokens.csv');
    for (const p of [c.startupProbe, c.readinessProbe]) {
      expect(p?.httpGet).to.deep.equal({ path: '/readyz', port: 'https', scheme: 'HTTPS' });
    }
    expect(c.livenessProbe?.httpGet).to.deep.equal({
      path: '/livez',
      port: 'https',
      scheme: 'HTTPS',
    });
    expect(c.securityContext).to.deep.include({
      runAsNonRoot: true,
      runAsUser: 1000,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(podSpec(dep).automountServiceAccountToken).to.equal(false);
    const svc = find(objects, 'Service', 't-corral-apiserver');
    expect((svc['spec'] as { ports: unknown[] }).ports).to.deep.equal([
      { name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' },
    ]);
  });

  it('mounts the CA key in no pod', () => {
    for (const o of objects) {
      if (!['Deployment', 'DaemonSet', 'StatefulSet'].includes(o.kind)) continue;
      const text = JSON.stringify(podSpec(o).volumes ?? []);
      expect(text, o.metadata.name).to.not.include('ca.key');
      if (o.kind !== 'Deployment' || o.metadata.name !== 't-corral-apiserver') {
        expect(text, o.metadata.name).to.not.include('tls.key');
      }
    }
  });

  it('issues a serving certificate for the Service names, signed by the shipped CA', () => {
    const tls = decodeData(find(objects, 'Secret', 't-corral-tls'));
    const cert = new X509Certificate(tls['tls.crt'] ?? '');
    const ca = new X509Certificate(tls['ca.crt'] ?? '');
    expect(cert.verify(ca.publicKey)).to.equal(true);
    expect(cert.checkHost(SVC_HOST)).to.equal(SVC_HOST);
    expect(cert.checkHost(`${SVC_HOST}.cluster.local`)).to.equal(`${SVC_HOST}.cluster.local`);
    expect(cert.checkHost('localhost')).to.equal('localhost');
    expect(cert.checkIP('127.0.0.1')).to.equal('127.0.0.1');
    expect(cert.checkHost('elsewhere.example')).to.equal(undefined);
  });

  it('makes distinct random tokens, listed in tokens.csv as admin, controllers, agent and monitoring', () => {
    const auth = decodeData(find(objects, 'Secret', 't-corral-auth'));
    const entries = parseTokenFile(auth['tokens.csv'] ?? '', 'tokens.csv');
    const byUser = new Map(entries.map(e => [e.user.name, e]));
    expect(byUser.get('admin')?.token).to.equal(auth['admin.token']);
    expect(byUser.get('admin')?.user.groups).to.include('system:masters');
    expect(byUser.get('corral:controllers')?.token).to.equal(auth['controllers.token']);
    expect(byUser.get('corral:agent')?.token).to.equal(auth['agent.token']);
    expect(byUser.get('corral:monitoring')?.token).to.equal(auth['monitoring.token']);
    expect(byUser.get('corral:monitoring')?.user.groups).to.include('system:monitoring');
    expect(byUser.get('corral:monitoring')?.user.groups).not.to.include('system:masters');
    const tokens = new Set(entries.map(e => e.token));
    expect(tokens.size).to.equal(4);
    for (const t of tokens) expect(t).to.match(/^[A-Za-z0-9]{48}$/);
  });

  it('gives controllers and agents a kubeconfig for the Service, CA and token from files', () => {
    const cm = find(objects, 'ConfigMap', 't-corral-kubeconfig');
    const kc = parse((cm['data'] as { kubeconfig: string }).kubeconfig) as {
      clusters: { cluster: Record<string, string> }[];
      users: { user: Record<string, string> }[];
    };
    expect(kc.clusters[0]?.cluster).to.deep.equal({
      server: `https://${SVC_HOST}:443`,
      'certificate-authority': '/etc/corral/client/ca.crt',
    });
    expect(kc.users[0]?.user).to.deep.equal({ 'token-file': '/etc/corral/client/token' });
    for (const [kind, name, token] of [
      ['Deployment', 't-corral-controllers', 'controllers.token'],
      ['DaemonSet', 't-corral-agent', 'agent.token'],
    ] as const) {
      const w = find(objects, kind, name);
      expect(flag(container(w).args, 'kubeconfig')).to.equal('/etc/corral/client/kubeconfig');
      const client = podSpec(w).volumes?.find(v => v.name === 'client');
      expect(JSON.stringify(client)).to.include(`"key":"${token}","path":"token"`);
      expect(container(w).volumeMounts).to.deep.include({
        name: 'client',
        mountPath: '/etc/corral/client',
        readOnly: true,
      });
    }
  });

  it('runs two leader-electing controllers with the binary defaults', () => {
    const dep = find(objects, 'Deployment', 't-corral-controllers');
    expect((dep['spec'] as { replicas: number }).replicas).to.equal(2);
    expect(container(dep).args).to.deep.equal([
      'controllers',
      '--kubeconfig=/etc/corral/client/kubeconfig',
      '--lease-namespace=corral-system',
      '--metrics-bind-address=0.0.0.0:10270',
    ]);
    expect(container(dep).securityContext).to.include({ runAsNonRoot: true });
  });

  it('probes the controllers on their metrics port and marks it for Prometheus scraping', () => {
    const dep = find(objects, 'Deployment', 't-corral-controllers');
    const c = container(dep);
    expect(c.ports).to.deep.equal([{ name: 'metrics', containerPort: 10270, protocol: 'TCP' }]);
    expect(c.livenessProbe?.httpGet).to.deep.equal({ path: '/healthz', port: 'metrics' });
    expect(c.readinessProbe?.httpGet).to.deep.equal({ path: '/readyz', port: 'metrics' });
    const template = (dep['spec'] as { template: { metadata: { annotations?: object } } }).template;
    expect(template.metadata.annotations).to.deep.equal({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '10270',
      'prometheus.io/path': '/metrics',
    });
  });

  it('runs the agent privileged in the host PID and network namespaces with its host mounts', () => {
    const ds = find(objects, 'DaemonSet', 't-corral-agent');
    const spec = podSpec(ds);
    expect(spec).to.include({
      hostPID: true,
      hostNetwork: true,
      dnsPolicy: 'ClusterFirstWithHostNet',
    });
    expect(spec.nodeSelector).to.deep.equal({ 'kubernetes.io/os': 'linux' });
    const c = container(ds);
    expect(c.securityContext).to.deep.equal({ privileged: true, runAsUser: 0 });
    expect(c.args).to.deep.equal([
      'agent',
      '--kubeconfig=/etc/corral/client/kubeconfig',
      '--name=$(NODE_NAME)',
      '--work-dir=/var/lib/corral/agent',
      '--reconfiguration-policy=equal',
      '--api-port=5051',
    ]);
    expect(c.env).to.deep.include({
      name: 'NODE_NAME',
      valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } },
    });
    expect(c.volumeMounts).to.deep.include.members([
      { name: 'work', mountPath: '/var/lib/corral/agent', mountPropagation: 'Bidirectional' },
      { name: 'run', mountPath: '/run/corral' },
      { name: 'cgroup', mountPath: '/sys/fs/cgroup' },
    ]);
    expect(spec.volumes).to.deep.include.members([
      { name: 'work', hostPath: { path: '/var/lib/corral/agent', type: 'DirectoryOrCreate' } },
      { name: 'run', hostPath: { path: '/run/corral', type: 'DirectoryOrCreate' } },
      { name: 'cgroup', hostPath: { path: '/sys/fs/cgroup', type: 'Directory' } },
    ]);
    expect(c.livenessProbe?.httpGet).to.deep.equal({
      host: '127.0.0.1',
      path: '/healthz',
      port: 5051,
    });
  });

  it('lets only the API servers and the members reach etcd', () => {
    const np = find(objects, 'NetworkPolicy', 't-corral-etcd');
    const from = (
      np['spec'] as {
        ingress: { from: { podSelector: { matchLabels: Record<string, string> } }[] }[];
      }
    ).ingress.map(i => i.from[0]?.podSelector.matchLabels['app.kubernetes.io/component']);
    expect(from).to.deep.equal(['apiserver', 'etcd']);
  });
});
