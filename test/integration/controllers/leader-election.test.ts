import { expect } from 'chai';
import { pino } from 'pino';
import { Client, builtinKinds } from '../../../core/client/index.ts';
import { runControllers } from '../../../controllers/main.ts';
import { runnableOf } from '../../../controllers/runtime/runnable.ts';
import { startTestApiServer, type TestApiServer } from '../../helpers/api-server.ts';
import { eventually } from '../../helpers/eventually.ts';

interface Candidate {
  readonly id: string;
  readonly stop: AbortController;
  leading: boolean;
  terms: number;
  done: Promise<void>;
}

describe('leader election through a Lease, against the API server', function () {
  this.timeout(60_000);
  let api: TestApiServer;
  let client: Client;
  const logger = pino({ level: process.env['CORRAL_TEST_LOG'] ?? 'silent' });

  before(async () => {
    api = await startTestApiServer({ crdDir: 'crds' });
    client = Client.fromKubeConfig(api.kubeConfig);
  });
  after(async () => {
    await client.close();
    await api.stop();
  });

  /** candidate runs the real controllers entry point with one runnable that notes leadership. */
  function candidate(id: string, leaseName: string): Candidate {
    const c: Candidate = {
      id,
      stop: new AbortController(),
      leading: false,
      terms: 0,
      done: Promise.resolve(),
    };
    const marker = runnableOf('leadership-marker', async signal => {
      c.leading = true;
      c.terms += 1;
      await new Promise(resolve => signal.addEventListener('abort', resolve, { once: true }));
      c.leading = false;
    });
    c.done = runControllers({
      kubeConfig: api.kubeConfig,
      identity: id,
      leaseNamespace: 'corral-system',
      leaseName,
      runnables: [marker],
      logger,
      signal: c.stop.signal,
      leaseDurationMs: 2_000,
      retryPeriodMs: 500,
    });
    return c;
  }

  it('lets exactly one of two candidates lead, and the other take over within the lease duration once it stops', async () => {
    const a = candidate('cand-a', 'le-1');
    const b = candidate('cand-b', 'le-1');
    let both = false;
    const watch = setInterval(() => (both ||= a.leading && b.leading), 10);
    try {
      await eventually(() => expect(a.leading || b.leading).to.equal(true), 10_000);
      // hold steady over several lease durations: the leader keeps renewing, nobody else leads
      await new Promise(r => setTimeout(r, 3_000));
      expect([a.leading, b.leading].filter(Boolean)).to.have.length(1);
      const [leader, other] = a.leading ? [a, b] : [b, a];
      expect(leader.terms).to.equal(1);
      const lease = await client
        .for(builtinKinds.leases)
        .get({ namespace: 'corral-system', name: 'le-1' });
      expect(lease.spec).to.include({ holderIdentity: leader.id, leaseDurationSeconds: 2 });

      const stoppedAt = Date.now();
      leader.stop.abort();
      await leader.done;
      // a released lease is taken at the next retry (0.5 s); the budget allows for a loaded CI box
      await eventually(() => expect(other.leading).to.equal(true), 5_000, 10);
      expect(Date.now() - stoppedAt).to.be.below(5_000);
      expect(leader.leading).to.equal(false);
      const after = await client
        .for(builtinKinds.leases)
        .get({ namespace: 'corral-system', name: 'le-1' });
      expect(after.spec).to.include({ holderIdentity: other.id, leaseTransitions: 1 });
      expect(both, 'never two leaders at once').to.equal(false);
    } finally {
      clearInterval(watch);
      a.stop.abort();
      b.stop.abort();
      await Promise.all([a.done, b.done]);
    }
  });

  it('releases the lease on stop by clearing the holder, and created its namespace', async () => {
    const c = candidate('solo', 'le-2');
    await eventually(() => expect(c.leading).to.equal(true), 10_000);
    c.stop.abort();
    await c.done;
    const lease = await client
      .for(builtinKinds.leases)
      .get({ namespace: 'corral-system', name: 'le-2' });
    expect(lease.spec?.holderIdentity).to.equal('');
    const ns = await client.for(builtinKinds.namespaces).get({ name: 'corral-system' });
    expect(ns.metadata.name).to.equal('corral-system');
  });
});
