import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { builtinKinds, corralKinds, isNotFound } from '../../../core/client/index.ts';
import type { Agent } from '../../../core/types/agent.ts';
import { AGENT_LEASE_NAMESPACE, leaseRenewedAt } from '../../../core/types/agent-lease.ts';
import { agentHealthController } from '../../../controllers/agents/index.ts';
import { runControllers } from '../../../controllers/main.ts';
import { eventually } from '../../helpers/eventually.ts';
import { registerFixture } from '../../helpers/fixtures.ts';
import type { AgentFixture } from './agent-fixture.ts';
import { startAgentFixture } from './agent-fixture.ts';

// the health controller's timeout in this test: 5 × 1 s, ten heartbeats of the agent
const PING_MS = 1000;
const HEARTBEAT_MS = 500;

const condition = (a: Agent, type: string) => a.status?.conditions?.find(c => c.type === type);

describe('agent: heartbeats as Lease renewals (e2e, real API server, health controller, runc)', function () {
  this.timeout(90_000);
  let f: AgentFixture;
  let controllers: { abort: AbortController; done: Promise<void> } | undefined;

  before(async () => {
    // a refresh longer than the test: every status write seen here is one the agent chose
    f = await startAgentFixture({ heartbeatIntervalMs: HEARTBEAT_MS, statusRefreshMs: 600_000 });
    const abort = new AbortController();
    const done = runControllers({
      kubeConfig: f.api.kubeConfig,
      identity: `test-${randomBytes(4).toString('hex')}`,
      leaseNamespace: `crl-ctl-${randomBytes(4).toString('hex')}`,
      runnables: [agentHealthController({ agentPingTimeoutMs: PING_MS, maxAgentPingTimeouts: 5 })],
      logger: pino({ level: process.env['CORRAL_TEST_LOG'] ?? 'silent' }),
      signal: abort.signal,
      leaseDurationMs: 2000,
      renewDeadlineMs: 1500,
      retryPeriodMs: 200,
    });
    controllers = { abort, done };
    registerFixture(async () => {
      abort.abort();
      await done.catch(() => undefined);
    });
  });
  after(async () => {
    controllers?.abort.abort();
    await controllers?.done.catch(() => undefined);
    await f.stop();
  });

  const agents = () => f.client.for(corralKinds.agents);
  const leases = () => f.client.for(builtinKinds.leases);
  const getAgent = () => agents().get({ name: f.name });
  const getLease = () => leases().get({ namespace: AGENT_LEASE_NAMESPACE, name: f.name });

  it('renews its Lease every interval while the Agent record stays unchanged', async () => {
    const agent = await eventually(async () => {
      const a = await getAgent();
      expect(condition(a, 'Ready')?.status).to.equal('True');
      return a;
    });
    const first = await eventually(getLease);
    expect(first.spec?.holderIdentity).to.equal(f.name);
    expect(first.spec?.renewTime).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(first.metadata.ownerReferences).to.deep.equal([
      { apiVersion: 'corral.dev/v1alpha1', kind: 'Agent', name: f.name, uid: agent.metadata.uid },
    ]);
    // three more renewals, each a new renewTime
    const seen = new Set([first.spec?.renewTime]);
    await eventually(async () => {
      seen.add((await getLease()).spec?.renewTime);
      expect(seen.size).to.be.at.least(4);
    }, 20_000);
    const now = await getAgent();
    expect(now.metadata.resourceVersion).to.equal(agent.metadata.resourceVersion);
    expect(now.status?.lastHeartbeatTime).to.equal(agent.status?.lastHeartbeatTime);
  });

  it('a stopped agent is marked Unreachable after the timeout; restarted, it is Ready=True at once', async () => {
    await f.agent?.stop();
    const stopped = await getAgent();
    expect(condition(stopped, 'Ready')?.reason).to.equal('AgentStopped');
    const lastRenewal = leaseRenewedAt((await getLease()).spec) ?? 0;
    const marked = await eventually(async () => {
      const a = await getAgent();
      expect(condition(a, 'Unreachable')?.status).to.equal('True');
      return a;
    }, 30_000);
    expect(condition(marked, 'Unreachable')?.reason).to.equal('HeartbeatsMissed');
    expect(Date.parse(condition(marked, 'Unreachable')?.lastTransitionTime ?? '')).to.be.at.least(
      lastRenewal + 5 * PING_MS,
    );
    // the status refresh is 10 minutes: a Ready=True now is the restart's own write
    await f.start();
    const back = await eventually(async () => {
      const a = await getAgent();
      expect(condition(a, 'Ready')?.status).to.equal('True');
      expect(condition(a, 'Unreachable')?.status).to.equal('False');
      return a;
    }, 20_000);
    expect(condition(back, 'Ready')?.reason).to.equal('AgentReady');
    expect(condition(back, 'Unreachable')?.reason).to.equal('HeartbeatResumed');
  });

  it('deleting the Agent deletes its Lease (ownerReference)', async () => {
    await f.agent?.stop();
    await agents().delete({ name: f.name });
    await eventually(async () => {
      const err = await getLease().catch((e: unknown) => e);
      expect(isNotFound(err), String(err)).to.equal(true);
    }, 20_000);
  });
});
