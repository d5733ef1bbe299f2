// Framework liveness end to end on the real API server: the SDK renews its framework's Lease, the
// framework controller marks a framework that stopped renewing inactive, and the task controller
// kills its tasks once the failover timeout passes, unless the framework comes back first.
import { expect } from 'chai';
import type { Client } from '../../../core/client/index.ts';
import { Client as ApiClient, builtinKinds, corralKinds } from '../../../core/client/index.ts';
import { ACTIVE_CONDITION, frameworkLeaseName } from '../../../core/framework/index.ts';
import type { Condition } from '../../../core/types/index.ts';
import { frameworkController } from '../../../controllers/frameworks/index.ts';
import { runControllers } from '../../../controllers/main.ts';
import { taskController } from '../../../controllers/tasks/index.ts';
import type { FrameworkDriver } from '../../../sdk/index.ts';
import { connect } from '../../../sdk/index.ts';
import type { TestApiServer } from '../../helpers/api-server.ts';
import { startTestApiServer } from '../../helpers/api-server.ts';
import { eventually } from '../../helpers/eventually.ts';
import { ROLE, logger, makeNamespace, makeTask, setTaskState, unique } from './world.ts';

/**
 * TIMEOUT_MS is the framework controller's timeout in these tests; the SDK renews every 200 ms,
 * fifteen times within it, so a loaded machine does not make a live framework look dead.
 */
const TIMEOUT_MS = 3000;

describe('framework liveness through the real API server (SDK Lease, framework and task controllers)', function () {
  this.timeout(60_000);
  let api: TestApiServer;
  let client: Client;
  let controllers: { abort: AbortController; done: Promise<void> };
  const drivers: FrameworkDriver[] = [];

  before(async () => {
    api = await startTestApiServer({ crdDir: 'crds' });
    client = ApiClient.fromKubeConfig(api.kubeConfig);
    const abort = new AbortController();
    controllers = {
      abort,
      done: runControllers({
        kubeConfig: api.kubeConfig,
        identity: unique('liveness'),
        leaseNamespace: unique('corral-liveness'),
        runnables: [frameworkController({ timeoutMs: TIMEOUT_MS }), taskController()],
        logger,
        signal: abort.signal,
        leaseDurationMs: 2000,
        renewDeadlineMs: 1500,
        retryPeriodMs: 200,
      }),
    };
  });
  after(async () => {
    await Promise.all(drivers.map(d => d.stop({ deactivate: false })));
    controllers.abort.abort();
    await controllers.done.catch(() => undefined);
    await client.close();
    await api.stop();
  });

  async function start(ns: string, failoverTimeoutSeconds: number): Promise<FrameworkDriver> {
    const d = await connect({
      kubeConfig: api.kubeConfig,
      namespace: ns,
      name: 'fw',
      framework: { roles: [ROLE], principal: 'analytics', failoverTimeoutSeconds },
      logger,
      heartbeatIntervalMs: 200,
    });
    drivers.push(d);
    return d;
  }

  const active = async (ns: string): Promise<Condition | undefined> =>
    (
      await client.for(corralKinds.frameworks).get({ namespace: ns, name: 'fw' })
    ).status?.conditions?.find(c => c.type === ACTIVE_CONDITION);

  // crash stops the driver as a dead process would: no more renewals, nothing marked inactive.
  const crash = (d: FrameworkDriver) => d.stop({ deactivate: false });

  it('a connected framework that keeps renewing its Lease stays Active past the timeout', async () => {
    const ns = await makeNamespace(client);
    await start(ns, 3600);
    const lease = await client
      .for(builtinKinds.leases)
      .get({ namespace: ns, name: frameworkLeaseName('fw') });
    expect(lease.metadata.ownerReferences?.map(r => [r.kind, r.name])).to.deep.equal([
      ['Framework', 'fw'],
    ]);
    await new Promise(r => setTimeout(r, TIMEOUT_MS + 1000));
    expect((await active(ns))?.status).to.equal('True');
  });

  it('Mesos framework failover: a framework that crashed is inactive after the timeout (HeartbeatExpired), and past its failover timeout its tasks are killed', async () => {
    const ns = await makeNamespace(client);
    const d = await start(ns, 1);
    await makeTask(client, ns, 'fw', 't1');
    await setTaskState(client, ns, 't1', 'TASK_RUNNING');
    await crash(d);
    expect((await active(ns))?.status, 'a crash marks nothing by itself').to.equal('True');
    await eventually(async () => {
      expect(await active(ns)).to.deep.include({ status: 'False', reason: 'HeartbeatExpired' });
    }, 10_000);
    await eventually(async () => {
      expect((await client.for(corralKinds.tasks).list({ namespace: ns })).items).to.deep.equal([]);
    }, 10_000);
  });

  it('a framework that comes back within its failover timeout is Active again and keeps its tasks', async () => {
    const ns = await makeNamespace(client);
    const first = await start(ns, 3600);
    await makeTask(client, ns, 'fw', 'keeper');
    await setTaskState(client, ns, 'keeper', 'TASK_RUNNING');
    await crash(first);
    await eventually(async () => {
      expect((await active(ns))?.status).to.equal('False');
    }, 10_000);
    const again = await start(ns, 3600);
    expect(await active(ns)).to.deep.include({ status: 'True', reason: 'Connected' });
    await new Promise(r => setTimeout(r, TIMEOUT_MS + 1000));
    expect((await active(ns))?.status, 'it renews, so it stays Active').to.equal('True');
    const { tasks } = await again.reconcile();
    expect(tasks.map(t => [t.metadata.name, t.metadata.deletionTimestamp])).to.deep.equal([
      ['keeper', undefined],
    ]);
  });

  it('a Framework deleted takes its Lease with it (the Lease is owned by the Framework)', async () => {
    const ns = await makeNamespace(client);
    const d = await start(ns, 0);
    await d.teardown();
    await eventually(async () => {
      const leases = await client.for(builtinKinds.leases).list({ namespace: ns });
      expect(leases.items.map(l => l.metadata.name)).to.not.include(frameworkLeaseName('fw'));
    }, 10_000);
  });
});
