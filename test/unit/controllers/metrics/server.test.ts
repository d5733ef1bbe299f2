import { expect } from 'chai';
import { request } from 'node:http';
import { pino } from 'pino';
import { freePort } from '../../../../core/util/free-port.ts';
import { ControllersMetrics } from '../../../../controllers/metrics/registry.ts';
import type { Check, Serving } from '../../../../controllers/metrics/server.ts';
import { serveHealthAndMetrics } from '../../../../controllers/metrics/server.ts';

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function call(port: number, method: string, path: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path }, res => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('controllers metrics endpoint: routing', () => {
  let serving: Serving;
  let health: Check;
  let ready: Check;
  const metrics = new ControllersMetrics();

  before(async () => {
    serving = await serveHealthAndMetrics({
      host: '127.0.0.1',
      port: await freePort(),
      health: { health: () => health, readiness: () => ready },
      metrics,
      logger: pino({ level: 'silent' }),
    });
  });
  after(() => serving.close());
  beforeEach(() => {
    health = { ok: true };
    ready = { ok: true };
  });

  const table: { name: string; method: string; path: string; status: number; body?: string }[] = [
    { name: 'healthz when healthy', method: 'GET', path: '/healthz', status: 200, body: 'ok' },
    { name: 'readyz when ready', method: 'GET', path: '/readyz', status: 200, body: 'ok' },
    { name: 'a query string is ignored', method: 'GET', path: '/healthz?verbose', status: 200 },
    { name: 'HEAD as GET without a body', method: 'HEAD', path: '/readyz', status: 200, body: '' },
    { name: 'an unknown path', method: 'GET', path: '/debug/pprof', status: 404 },
    { name: 'the root', method: 'GET', path: '/', status: 404 },
    { name: 'a prefix of a route', method: 'GET', path: '/metricsz', status: 404 },
    { name: 'POST to metrics', method: 'POST', path: '/metrics', status: 405 },
    { name: 'DELETE to healthz', method: 'DELETE', path: '/healthz', status: 405 },
  ];
  for (const t of table) {
    it(`answers ${t.status} for ${t.name}`, async () => {
      const r = await call(serving.port, t.method, t.path);
      expect(r.status).to.equal(t.status);
      if (t.body !== undefined) expect(r.body).to.equal(t.body);
      if (t.status === 405) expect(r.headers['allow']).to.equal('GET, HEAD');
    });
  }

  it('answers 500 with the reason while unhealthy or not ready', async () => {
    ready = { ok: false, reason: 'informers not synced: offers' };
    expect(await call(serving.port, 'GET', '/readyz')).to.include({
      status: 500,
      body: 'informers not synced: offers',
    });
    health = { ok: false, reason: 'stopping' };
    expect(await call(serving.port, 'GET', '/healthz')).to.include({
      status: 500,
      body: 'stopping',
    });
  });

  it('renders its own registry in the Prometheus text format', async () => {
    const c = metrics.controller('unit-queue');
    c.added();
    c.added();
    c.retried();
    c.failed();
    const undo = c.observeDepth(() => 7);
    c.startWork()();
    const r = await call(serving.port, 'GET', '/metrics');
    undo();
    expect(r.status).to.equal(200);
    expect(String(r.headers['content-type'])).to.match(/^text\/plain; version=0\.0\.4/);
    expect(r.body).to.include('workqueue_adds_total{name="unit-queue"} 2');
    expect(r.body).to.include('workqueue_retries_total{name="unit-queue"} 1');
    expect(r.body).to.include('corral_reconcile_errors_total{controller="unit-queue"} 1');
    expect(r.body).to.include('workqueue_depth{name="unit-queue"} 7');
    expect(r.body).to.include('workqueue_work_duration_seconds_count{name="unit-queue"} 1');
    expect(r.body).to.include('corral_leader 0');
    expect(r.body).to.include('process_cpu_user_seconds_total');
    const after = await call(serving.port, 'GET', '/metrics');
    expect(after.body).to.include('workqueue_depth{name="unit-queue"} 0');
  });

  it('refuses to start on an address already in use, naming it', async () => {
    const err = await serveHealthAndMetrics({
      host: '127.0.0.1',
      port: serving.port,
      health: { health: () => health, readiness: () => ready },
      metrics,
      logger: pino({ level: 'silent' }),
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).to.include(`127.0.0.1:${serving.port}`);
  });
});
