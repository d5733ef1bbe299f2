import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { startTestApiServer, type TestApiServer } from '../../helpers/api-server.ts';
import { eventually } from '../../helpers/eventually.ts';
import { apiRequest, type HttpResult } from '../../helpers/http.ts';

const ROLES = '/apis/corral.dev/v1alpha1/roles';
const AGENT_TOKEN = 'agent-token-for-metrics-test';
const FRAMEWORK_TOKEN = 'framework-token-for-metrics-test';
const MONITORING_TOKEN = 'monitoring-token-for-metrics-test';

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

// parse reads the Prometheus text format's samples (label values here hold no `,` or `"`)
function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (m[2] ?? '').split(',').filter(p => p !== '')) {
      const eq = pair.indexOf('=');
      labels[pair.slice(0, eq)] = JSON.parse(pair.slice(eq + 1)) as string;
    }
    out.push({ name: m[1] ?? '', labels, value: Number(m[3]) });
  }
  return out;
}

// value is the one sample of `name` whose labels include `want`; 0 when there is none
function value(samples: readonly Sample[], name: string, want: Record<string, string>): number {
  const found = samples.filter(
    s => s.name === name && Object.entries(want).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match`);
  return found[0]?.value ?? 0;
}

describe('API server: /metrics', function () {
  this.timeout(60_000);
  let api: TestApiServer;
  const call = (path: string, opts = {}): Promise<HttpResult> => apiRequest(api, path, opts);
  const scrape = async (): Promise<Sample[]> => {
    const r = await call('/metrics');
    expect(r.status).to.equal(200);
    return parse(r.text);
  };
  const role = (name: string): unknown => ({
    apiVersion: 'corral.dev/v1alpha1',
    kind: 'Role',
    metadata: { name },
    spec: { role: name, weight: 2 },
  });

  before(async () => {
    api = await startTestApiServer({
      crdDir: 'crds',
      tokens: [
        `${AGENT_TOKEN},corral:agent,corral-agent,corral:agents`,
        `${FRAMEWORK_TOKEN},framework-etl,framework-etl,corral:frameworks`,
        `${MONITORING_TOKEN},prometheus,prometheus,system:monitoring`,
      ],
    });
  });
  after(() => api.stop());

  it('counts and times creates and lists of a Corral kind with kube-style labels', async () => {
    const before = await scrape();
    const created = { verb: 'POST', group: 'corral.dev', resource: 'roles', subresource: '' };
    const listed = { ...created, verb: 'LIST' };
    const creates0 = value(before, 'apiserver_request_total', { ...created, code: '201' });
    const lists0 = value(before, 'apiserver_request_total', { ...listed, code: '200' });
    const timed0 = value(before, 'apiserver_request_duration_seconds_count', created);

    for (const name of ['metrics-a', 'metrics-b', 'metrics-c']) {
      expect((await call(ROLES, { method: 'POST', body: role(name) })).status).to.equal(201);
    }
    expect((await call(ROLES, { method: 'POST', body: role('metrics-a') })).status).to.equal(409);
    for (let i = 0; i < 2; i++) expect((await call(ROLES)).status).to.equal(200);
    expect((await call(`${ROLES}/metrics-a`)).status).to.equal(200);

    // a response's close is recorded just after the client has read it
    await eventually(async () => {
      const after = await scrape();
      expect(value(after, 'apiserver_request_total', { ...created, code: '201' })).to.equal(
        creates0 + 3,
      );
      expect(value(after, 'apiserver_request_total', { ...created, code: '409' })).to.equal(1);
      expect(value(after, 'apiserver_request_total', { ...listed, code: '200' })).to.equal(
        lists0 + 2,
      );
      expect(
        value(after, 'apiserver_request_total', { ...created, verb: 'GET', code: '200' }),
      ).to.equal(1);
      // the conflict is timed too: 4 POSTs
      expect(value(after, 'apiserver_request_duration_seconds_count', created)).to.equal(
        timed0 + 4,
      );
    });
  });

  it('exposes cumulative histogram buckets from 5 ms to 60 s with +Inf equal to the count', async () => {
    await call(ROLES);
    const samples = await scrape();
    const listed = { verb: 'LIST', group: 'corral.dev', resource: 'roles', subresource: '' };
    const buckets = samples.filter(
      s =>
        s.name === 'apiserver_request_duration_seconds_bucket' &&
        Object.entries(listed).every(([k, v]) => s.labels[k] === v),
    );
    const bounds = buckets.map(b => b.labels['le']);
    expect(bounds[0]).to.equal('0.005');
    expect(bounds).to.include('60');
    expect(bounds.at(-1)).to.equal('+Inf');
    const values = buckets.map(b => b.value);
    expect(values).to.deep.equal([...values].sort((a, b) => a - b));
    const count = value(samples, 'apiserver_request_duration_seconds_count', listed);
    expect(count).to.be.greaterThan(0);
    expect(buckets.at(-1)?.value).to.equal(count);
    expect(value(samples, 'apiserver_request_duration_seconds_sum', listed)).to.be.greaterThan(0);
  });

  it('times etcd requests by operation and type and sizes its write transactions', async () => {
    expect((await call(ROLES, { method: 'POST', body: role('metrics-etcd') })).status).to.equal(
      201,
    );
    const samples = await scrape();
    const creates = { operation: 'create', type: 'txn' };
    expect(value(samples, 'etcd_request_duration_seconds_count', creates)).to.be.greaterThan(0);
    expect(
      value(samples, 'etcd_request_duration_seconds_bucket', { ...creates, le: '+Inf' }),
    ).to.equal(value(samples, 'etcd_request_duration_seconds_count', creates));
    // the CRD controller and namespace lifecycle list through etcd at start
    expect(
      value(samples, 'etcd_request_duration_seconds_count', { operation: 'list', type: 'range' }),
    ).to.be.greaterThan(0);
    expect(value(samples, 'corral_etcd_group_commit_size_count', {})).to.be.greaterThan(0);
  });

  it('counts a watch in the total and the registered watchers, not in the histogram', async () => {
    const watch = { verb: 'WATCH', group: 'corral.dev', resource: 'roles', subresource: '' };
    const ca = readFileSync(join(api.dir, 'pki', 'ca.crt'), 'utf8');
    const u = new URL(api.url);
    const req = request({
      host: u.hostname,
      port: u.port,
      path: `${ROLES}?watch=true`,
      ca,
      headers: { authorization: `Bearer ${api.token}` },
    });
    const response = new Promise<void>((resolve, reject) => {
      req.on('response', res => {
        res.resume();
        resolve();
      });
      req.on('error', reject);
    });
    req.end();
    await response;
    await eventually(async () => {
      const s = await scrape();
      expect(
        value(s, 'apiserver_registered_watchers', { group: 'corral.dev', resource: 'roles' }),
      ).to.equal(1);
    });
    // the client going away ends the watch, as most watches end
    req.destroy();
    await eventually(async () => {
      const s = await scrape();
      expect(
        value(s, 'apiserver_registered_watchers', { group: 'corral.dev', resource: 'roles' }),
      ).to.equal(0);
      expect(value(s, 'apiserver_request_total', { ...watch, code: '200' })).to.equal(1);
      const timed = s.filter(
        x => x.name.startsWith('apiserver_request_duration') && x.labels['verb'] === 'WATCH',
      );
      expect(timed).to.deep.equal([]);
    });
  });

  it('shows the inflight gauge by request kind and the default process metrics', async () => {
    const samples = await scrape();
    // the scrape is not a resource request, so nothing is in flight while it is served
    expect(
      value(samples, 'apiserver_current_inflight_requests', { request_kind: 'readOnly' }),
    ).to.equal(0);
    expect(
      value(samples, 'apiserver_current_inflight_requests', { request_kind: 'mutating' }),
    ).to.equal(0);
    const names = new Set(samples.map(s => s.name));
    for (const n of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(names, n).to.include(n);
    }
  });

  it('answers in the Prometheus text format', async () => {
    const r = await call('/metrics');
    expect(r.headers['content-type']).to.match(/^text\/plain; version=0\.0\.4/);
    expect(r.text).to.include('# TYPE apiserver_request_total counter');
    expect(r.text).to.include('# TYPE apiserver_request_duration_seconds histogram');
  });

  it('lets a system:monitoring token read /metrics', async () => {
    expect((await call('/metrics', { token: MONITORING_TOKEN })).status).to.equal(200);
  });

  it('forbids agents and frameworks (403) and refuses anonymous callers (401)', async () => {
    for (const token of [AGENT_TOKEN, FRAMEWORK_TOKEN]) {
      const r = await call('/metrics', { token });
      expect(r.status).to.equal(403);
      expect(r.json()).to.include({ kind: 'Status', reason: 'Forbidden', code: 403 });
      expect(r.json<{ message: string }>().message).to.include('cannot get path "/metrics"');
    }
    const anonymous = await call('/metrics', { token: null });
    expect(anonymous.status).to.equal(401);
    expect(anonymous.json()).to.include({ reason: 'Unauthorized' });
    // the same identities still use the API: only /metrics is kept from them
    expect((await call(ROLES, { token: AGENT_TOKEN })).status).to.equal(200);
  });
});
