// The controllers process's health and metrics endpoint, served by the real runControllers with
// real components (the allocator, the offer and framework controllers) against the API server.
import { expect } from 'chai';
import { request } from 'node:http';
import { pino } from 'pino';
import { Client, corralKinds } from '../../../core/client/index.ts';
import { CORRAL_API_VERSION } from '../../../core/types/index.ts';
import { freePort } from '../../../core/util/free-port.ts';
import { allocatorComponent } from '../../../controllers/allocator/runnable.ts';
import { frameworkController } from '../../../controllers/frameworks/index.ts';
import { runControllers } from '../../../controllers/main.ts';
import { offerController } from '../../../controllers/offers/index.ts';
import { startTestApiServer, type TestApiServer } from '../../helpers/api-server.ts';
import { eventually } from '../../helpers/eventually.ts';

interface Reply {
  readonly status: number;
  readonly body: string;
}

function get(port: number, path: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent: false }, res => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

/** value is one sample of the text format, undefined when the series is absent. */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find(l => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('the controllers process serves /healthz, /readyz and /metrics', function () {
  this.timeout(60_000);
  const logger = pino({ level: process.env['CORRAL_TEST_LOG'] ?? 'silent' });
  let api: TestApiServer;
  let client: Client;

  before(async () => {
    api = await startTestApiServer({ crdDir: 'crds' });
    client = Client.fromKubeConfig(api.kubeConfig);
  });
  after(async () => {
    await client.close();
    await api.stop();
  });

  it('is healthy, becomes ready once synced, reports queues, leadership and allocation cycles, and stops listening when stopped', async () => {
    const port = await freePort();
    const stop = new AbortController();
    const done = runControllers({
      kubeConfig: api.kubeConfig,
      identity: 'metrics-ctl',
      leaseNamespace: 'corral-system',
      leaseName: 'metrics-test',
      runnables: [
        allocatorComponent({ config: { allocationIntervalMs: 200 } }),
        offerController(),
        frameworkController(),
      ],
      logger,
      signal: stop.signal,
      leaseDurationMs: 2_000,
      retryPeriodMs: 200,
      metrics: { kind: 'listen', host: '127.0.0.1', port },
    });
    try {
      await eventually(
        async () => expect(await get(port, '/healthz')).to.deep.equal({ status: 200, body: 'ok' }),
        10_000,
      );
      await eventually(
        async () => expect(await get(port, '/readyz')).to.deep.equal({ status: 200, body: 'ok' }),
        20_000,
      );
      // a Framework gives the frameworks controller a pass to time
      await eventually(() =>
        client.for(corralKinds.frameworks).create({
          apiVersion: CORRAL_API_VERSION,
          kind: 'Framework',
          metadata: { name: 'fw', namespace: 'default' },
          spec: { roles: ['role'], capabilities: ['MULTI_ROLE'], principal: 'principal' },
        }),
      );
      await eventually(async () => {
        const r = await get(port, '/metrics');
        expect(r.status).to.equal(200);
        expect(value(r.body, 'corral_leader')).to.equal(1);
        expect(value(r.body, 'workqueue_depth{name="offers"}')).to.equal(0);
        expect(value(r.body, 'workqueue_adds_total{name="frameworks"}')).to.be.greaterThan(0);
        expect(
          value(r.body, 'workqueue_work_duration_seconds_count{name="frameworks"}'),
        ).to.be.greaterThan(0);
        expect(value(r.body, 'workqueue_retries_total{name="frameworks"}')).to.be.a('number');
        expect(value(r.body, 'corral_reconcile_errors_total{controller="frameworks"}')).to.be.a(
          'number',
        );
        expect(value(r.body, 'corral_allocator_cycle_duration_seconds_count')).to.be.greaterThan(0);
        expect(value(r.body, 'corral_allocator_offers_published_total')).to.equal(0);
        expect(value(r.body, 'corral_allocator_offers_rescinded_total')).to.equal(0);
        expect(r.body).to.include('process_resident_memory_bytes');
      }, 20_000);
    } finally {
      stop.abort();
      await done;
    }
    const err = await get(port, '/healthz').then(
      () => undefined,
      (e: unknown) => e as NodeJS.ErrnoException,
    );
    expect(err?.code).to.equal('ECONNREFUSED');
  });

  it('fails at start, naming the address, when the port is taken', async () => {
    const port = await freePort();
    const first = new AbortController();
    const running = runControllers({
      kubeConfig: api.kubeConfig,
      identity: 'metrics-a',
      leaseNamespace: 'corral-system',
      leaseName: 'metrics-port',
      runnables: [],
      logger,
      signal: first.signal,
      metrics: { kind: 'listen', host: '127.0.0.1', port },
    });
    try {
      await eventually(
        async () => expect((await get(port, '/healthz')).status).to.equal(200),
        10_000,
      );
      const second = runControllers({
        kubeConfig: api.kubeConfig,
        identity: 'metrics-b',
        leaseNamespace: 'corral-system',
        leaseName: 'metrics-port',
        runnables: [],
        logger,
        signal: new AbortController().signal,
        metrics: { kind: 'listen', host: '127.0.0.1', port },
      });
      const err = await second.then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(err?.message).to.include(`127.0.0.1:${port}`);
    } finally {
      first.abort();
      await running;
    }
  });
});
