// `helm template` with non-default values: every value reaches the flag, mount or field it sets.
import { expect } from 'chai';
import type { Manifest } from './helm.ts';
import { container, find, flag, NAMESPACE, podSpec, render } from './helm.ts';
import { NON_DEFAULT_VALUES } from './values.ts';

const member = (i: number): string =>
  `t-corral-etcd-${i}.t-corral-etcd-peers.${NAMESPACE}.svc.cluster.local`;

describe('charts/corral rendered with non-default values', () => {
  let objects: Manifest[];
  before(() => {
    objects = render(NON_DEFAULT_VALUES);
  });

  it('makes no Secret when both are given, and mounts the given ones', () => {
    expect(objects.filter(o => o.kind === 'Secret')).to.deep.equal([]);
    const api = podSpec(find(objects, 'Deployment', 't-corral-apiserver'));
    const secrets = (api.volumes ?? []).map(
      v => (v['secret'] as { secretName: string }).secretName,
    );
    expect(secrets).to.deep.equal(['my-tls', 'my-tokens']);
    const agent = JSON.stringify(podSpec(find(objects, 'DaemonSet', 't-corral-agent')).volumes);
    expect(agent).to.include('"name":"my-tls"').and.include('"name":"my-tokens"');
  });

  it('bootstraps a 3-member etcd and gives the API server every member', () => {
    const sts = find(objects, 'StatefulSet', 't-corral-etcd');
    expect((sts['spec'] as { replicas: number }).replicas).to.equal(3);
    const c = container(sts);
    expect(flag(c.command, 'initial-cluster')).to.equal(
      [0, 1, 2].map(i => `t-corral-etcd-${i}=http://${member(i)}:2380`).join(','),
    );
    expect(c.command).to.include('--snapshot-count=5000');
    const claim = (sts['spec'] as { volumeClaimTemplates: { spec: Record<string, unknown> }[] })
      .volumeClaimTemplates[0]?.spec;
    expect(claim).to.deep.include({ storageClassName: 'fast' });
    const api = container(find(objects, 'Deployment', 't-corral-apiserver'));
    expect(flag(api.args, 'etcd')).to.equal(
      [0, 1, 2].map(i => `http://${member(i)}:2379`).join(','),
    );
  });

  it('uses an external etcd instead of the StatefulSet', () => {
    const external = render({
      etcd: { enabled: false, externalEndpoints: ['http://etcd-a:2379', 'http://etcd-b:2379'] },
    });
    const kinds = external.map(o => `${o.kind}/${o.metadata.name}`);
    expect(kinds.filter(k => k.includes('etcd'))).to.deep.equal([]);
    const api = container(find(external, 'Deployment', 't-corral-apiserver'));
    expect(flag(api.args, 'etcd')).to.equal('http://etcd-a:2379,http://etcd-b:2379');
  });

  it('runs the image, port and service asked for', () => {
    const dep = find(objects, 'Deployment', 't-corral-apiserver');
    const c = container(dep);
    expect(c.image).to.equal('registry.example/corral:1.2.3');
    expect(flag(c.args, 'port')).to.equal('7443');
    expect(c.ports).to.deep.equal([{ name: 'https', containerPort: 7443, protocol: 'TCP' }]);
    expect(c.env).to.deep.include({ name: 'CORRAL_LOG_LEVEL', value: 'debug' });
    expect(podSpec(dep)).to.deep.include({ imagePullSecrets: [{ name: 'pull' }] });
    const svc = find(objects, 'Service', 't-corral-apiserver');
    expect(svc['spec']).to.deep.include({ type: 'LoadBalancer' });
    const kc = find(objects, 'ConfigMap', 't-corral-kubeconfig');
    expect((kc['data'] as { kubeconfig: string }).kubeconfig).to.include(
      `server: https://t-corral-apiserver.${NAMESPACE}.svc:8443`,
    );
  });

  it('passes every controllers flag under its CLI name', () => {
    const c = container(find(objects, 'Deployment', 't-corral-controllers'));
    expect(c.args).to.deep.equal([
      'controllers',
      '--kubeconfig=/etc/corral/client/kubeconfig',
      '--lease-namespace=corral-leases',
      '--metrics-bind-address=0.0.0.0:9102',
      '--agent-ping-timeout=3s',
      '--allocation-interval=250ms',
      '--api-connections=96',
      '--default-refuse-seconds=10',
      '--fairness-excluded-resource-names=gpus,fpgas',
      '--framework-timeout=1m',
      '--max-agent-ping-timeouts=4',
      '--min-allocatable-resources=cpus:0.5;mem:256|gpus:1',
      '--missing-agent-grace=2m',
      '--offer-timeout=5m',
      '--offer-workers=24',
      '--operation-confirm-grace=20s',
      '--operation-retention=1h',
      '--reservation-retry=30s',
    ]);
  });

  it("describes the agent's node, intervals and host paths as given", () => {
    const ds = find(objects, 'DaemonSet', 't-corral-agent');
    const c = container(ds);
    expect(c.args).to.deep.equal([
      'agent',
      '--kubeconfig=/etc/corral/client/kubeconfig',
      '--name=$(NODE_NAME)',
      '--work-dir=/srv/corral',
      '--reconfiguration-policy=additive',
      '--api-port=5151',
      '--resources=cpus:4;mem:8192;disk:20000;ports:[31000-32000]',
      '--attributes=level:3;rack:r1;zone:a',
      '--fault-domain=eu-west/eu-west-1a',
      '--allowed-host-path-parents=/data,/scratch',
      '--disk-interval=30',
      '--heartbeat-interval=2',
      '--kill-grace-period=10',
      '--ports-interval=60',
    ]);
    expect(c.volumeMounts).to.deep.include.members([
      { name: 'work', mountPath: '/srv/corral', mountPropagation: 'Bidirectional' },
      { name: 'host-path-0', mountPath: '/data', mountPropagation: 'Bidirectional' },
      { name: 'host-path-1', mountPath: '/scratch', mountPropagation: 'Bidirectional' },
    ]);
    const spec = podSpec(ds);
    expect(spec.volumes).to.deep.include({
      name: 'host-path-1',
      hostPath: { path: '/scratch', type: 'DirectoryOrCreate' },
    });
    // helm merges a given map into the default one (`kubernetes.io/os: null` would drop it)
    expect(spec.nodeSelector).to.deep.equal({
      'corral.dev/agent': 'true',
      'kubernetes.io/os': 'linux',
    });
    expect(spec.tolerations).to.deep.equal([{ operator: 'Exists' }]);
    expect(spec).to.deep.include({ priorityClassName: 'system-node-critical' });
    expect(c.livenessProbe?.httpGet?.port).to.equal(5151);
  });

  it('leaves the agent out when agent.enabled is false', () => {
    const none = render({ agent: { enabled: false } });
    expect(none.map(o => o.kind)).to.not.include('DaemonSet');
  });

  it('serves no controllers metrics, probes or scrape annotations when metrics are off', () => {
    const r = render({ controllers: { metrics: { enabled: false }, podAnnotations: { a: 'b' } } });
    const dep = find(r, 'Deployment', 't-corral-controllers');
    const c = container(dep);
    expect(c.args).to.include('--metrics-bind-address=0');
    expect(c.ports).to.equal(undefined);
    expect(c.livenessProbe).to.equal(undefined);
    expect(c.readinessProbe).to.equal(undefined);
    const meta = (dep['spec'] as { template: { metadata: { annotations?: object } } }).template
      .metadata;
    expect(meta.annotations).to.deep.equal({ a: 'b' });
  });

  it("keeps the operator's own pod annotations over the chart's scrape annotations", () => {
    const r = render({ controllers: { podAnnotations: { 'prometheus.io/scrape': 'false' } } });
    const dep = find(r, 'Deployment', 't-corral-controllers');
    const meta = (dep['spec'] as { template: { metadata: { annotations?: object } } }).template
      .metadata;
    expect(meta.annotations).to.deep.include({
      'prometheus.io/scrape': 'false',
      'prometheus.io/port': '10270',
    });
  });

  it('adds extra names to the chart-made certificate', () => {
    const r = render({ apiserver: { tls: { extraSANs: ['corral.example.com', '10.0.0.7'] } } });
    const tls = find(r, 'Secret', 't-corral-tls');
    const sans = (tls.metadata['annotations'] as Record<string, string>)['corral.dev/sans'];
    expect(sans?.split(',')).to.include.members(['corral.example.com', '10.0.0.7', 'localhost']);
  });
});
