import { expect } from 'chai';
import { pino } from 'pino';
import type { Agent } from '../../../../core/types/agent.ts';
import { AGENT_LEASE_NAMESPACE } from '../../../../core/types/agent-lease.ts';
import { AgentGoneError } from '../../../../agent/registration/agent-gone.ts';
import { markStopped } from '../../../../agent/registration/heartbeat.ts';
import type { HeartbeatOptions } from '../../../../agent/registration/heartbeat-loop.ts';
import { Heartbeat } from '../../../../agent/registration/heartbeat-loop.ts';
import { FakeClock, settle } from '../../../helpers/fake-clock.ts';
import { fakeCluster, readyOf } from './fakes.ts';

const T0 = 1_700_000_000_000;
const NAME = 'agent-1';
const agent: Agent = {
  apiVersion: 'corral.dev/v1alpha1',
  kind: 'Agent',
  metadata: { name: NAME, uid: 'uid-1' },
  spec: { hostname: 'h', resources: { cpus: '1' }, reconfigurationPolicy: 'equal' },
};

function setup(start: Agent = agent) {
  const clock = new FakeClock(T0);
  const cluster = fakeCluster(clock, start);
  const abort = new AbortController();
  const options: HeartbeatOptions = {
    api: cluster.agents,
    leases: cluster.leases,
    namespaces: cluster.namespaces,
    name: NAME,
    clock,
    intervalMs: 1000,
    statusRefreshMs: 5000,
    leaseDurationSeconds: 75,
    logger: pino({ level: 'silent' }),
    signal: abort.signal,
  };
  const since = (verb: string) => cluster.at(verb).map(t => t - T0);
  return { clock, cluster, abort, options, since };
}

async function advance(clock: FakeClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 100) await clock.advance(100);
  await settle();
}

describe('agent heartbeats as Lease renewals (fake API, fake clock)', () => {
  it('renews the Lease every interval and writes the status at start and every refresh only', async () => {
    const { clock, cluster, abort, options, since } = setup();
    const running = new Heartbeat(options).run();
    await advance(clock, 11_000);
    abort.abort();
    await running;
    const every = Array.from({ length: 11 }, (_, i) => (i + 1) * 1000);
    expect(since('namespace-create')).to.deep.equal([0]);
    expect(since('lease-create')).to.deep.equal([0]);
    expect(since('lease-update')).to.deep.equal(every);
    expect(since('status')).to.deep.equal([0, 5000, 10_000]);
    // one read of the Agent a beat: how the agent learns it was marked gone
    expect(since('get')).to.deep.equal([0, ...every]);
    const lease = cluster.state.leases.get(NAME);
    expect(lease?.metadata.namespace).to.equal(AGENT_LEASE_NAMESPACE);
    expect(lease?.metadata.ownerReferences).to.deep.equal([
      { apiVersion: 'corral.dev/v1alpha1', kind: 'Agent', name: NAME, uid: 'uid-1' },
    ]);
    expect(lease?.spec).to.deep.include({ holderIdentity: NAME, leaseDurationSeconds: 75 });
    expect(lease?.spec?.acquireTime).to.equal('2023-11-14T22:13:20.000000Z');
    expect(lease?.spec?.renewTime).to.equal('2023-11-14T22:13:31.000000Z');
    expect(readyOf(cluster.state.agent)?.status).to.equal('True');
    expect(cluster.state.agent.status?.lastHeartbeatTime).to.equal('2023-11-14T22:13:30.000Z');
  });

  it('writes Ready=True at once when it restarts after a graceful stop, not at the next refresh', async () => {
    const { clock, cluster, options, since } = setup();
    const first = new AbortController();
    const running = new Heartbeat({ ...options, signal: first.signal }).run();
    await advance(clock, 2000);
    first.abort();
    await running;
    await markStopped({ api: cluster.agents, name: NAME, clock });
    expect(readyOf(cluster.state.agent)?.reason).to.equal('AgentStopped');
    await advance(clock, 500);
    const statusWrites = since('status').length;
    // the restart, 2.5 s after the last status write (the refresh is 5 s)
    const again = new AbortController();
    const restarted = new Heartbeat({ ...options, signal: again.signal }).run();
    await settle();
    expect(since('status').slice(statusWrites)).to.deep.equal([2500]);
    expect(readyOf(cluster.state.agent)).to.deep.include({ status: 'True', reason: 'AgentReady' });
    again.abort();
    await restarted;
  });

  it('writes the status at the next beat when the record shows it not Ready (marked unreachable)', async () => {
    const { clock, cluster, abort, options, since } = setup();
    const running = new Heartbeat(options).run();
    await advance(clock, 1500);
    const at = '2023-11-14T22:13:21Z';
    cluster.setAgent(a => ({
      ...a,
      status: {
        ...a.status,
        conditions: [
          { type: 'Ready', status: 'False', reason: 'AgentUnreachable', lastTransitionTime: at },
          {
            type: 'Unreachable',
            status: 'True',
            reason: 'HeartbeatsMissed',
            lastTransitionTime: at,
          },
        ],
      },
    }));
    await advance(clock, 1000);
    abort.abort();
    await running;
    expect(since('status')).to.deep.equal([0, 2000]);
    expect(readyOf(cluster.state.agent)?.status).to.equal('True');
    // Unreachable is the health controller's to clear
    const unreachable = cluster.state.agent.status?.conditions?.find(c => c.type === 'Unreachable');
    expect(unreachable?.status).to.equal('True');
  });

  it('an Agent marked gone: the beat writes nothing and run rejects with AgentGoneError', async () => {
    const { clock, cluster, options, since } = setup();
    const running = new Heartbeat(options).run();
    const outcome = running.then(
      () => undefined,
      (e: unknown) => e,
    );
    await advance(clock, 1500);
    cluster.setAgent(a => ({ ...a, spec: { ...a.spec, gone: true } }));
    const before = cluster.calls.length;
    await advance(clock, 3000);
    expect(await outcome).to.be.instanceOf(AgentGoneError);
    expect(cluster.calls.slice(before).map(c => c.verb)).to.deep.equal(['get']);
    expect(since('status')).to.deep.equal([0]);
  });

  it('a status write that conflicts with the gone mark reads it and writes nothing', async () => {
    const { cluster, options } = setup();
    let raced = false;
    cluster.state.beforeStatusWrite = () => {
      if (raced) return;
      raced = true;
      cluster.setAgent(a => ({ ...a, spec: { ...a.spec, gone: true } }));
    };
    const err = await new Heartbeat(options).beat().catch((e: unknown) => e);
    expect(err).to.be.instanceOf(AgentGoneError);
    expect(readyOf(cluster.state.agent)).to.equal(undefined);
  });

  it('falls back to status writes while renewals fail, and creates the namespace again after a NotFound', async () => {
    const { clock, cluster, abort, options, since } = setup();
    cluster.state.failLeaseCreates = 2;
    const running = new Heartbeat(options).run();
    await advance(clock, 4000);
    abort.abort();
    await running;
    expect(since('lease-create')).to.deep.equal([0, 1000, 2000]);
    expect(since('namespace-create')).to.deep.equal([0, 1000, 2000]);
    expect(since('status')).to.deep.equal([0, 1000]);
    expect(since('lease-update')).to.deep.equal([3000, 4000]);
  });
});
