import { expect } from 'chai';
import type { Agent } from '../../../../core/types/index.ts';
import type { Lease } from '../../../../core/client/index.ts';
import { AGENT_LEASE_NAMESPACE } from '../../../../core/types/index.ts';
import {
  AgentHealthReconciler,
  lastSign,
} from '../../../../controllers/agents/health-reconciler.ts';
import { agentHealth } from '../../../../controllers/agents/health.ts';
import { agentHealthTimeoutMs } from '../../../../controllers/agents/index.ts';
import type { World } from '../offers/world.ts';
import { AGENT, agentObject, newWorld, silent } from '../offers/world.ts';

const TIMEOUT = 75_000;
const signal = new AbortController().signal;

function setup(): { w: World; r: AgentHealthReconciler } {
  const w = newWorld();
  const r = new AgentHealthReconciler({
    agents: w.cluster.agents.cache,
    api: w.cluster.agents,
    clock: w.clock,
    logger: silent,
    timeoutMs: TIMEOUT,
  });
  return { w, r };
}

function heartbeat(w: World): void {
  const a = structuredClone(w.cluster.agents.peek({ name: AGENT })) as Agent;
  const now = new Date(w.clock.now()).toISOString();
  const others = (a.status?.conditions ?? []).filter(c => c.type !== 'Ready');
  a.status = {
    ...a.status,
    lastHeartbeatTime: now,
    conditions: [
      ...others,
      { type: 'Ready', status: 'True', reason: 'AgentReady', lastTransitionTime: now },
    ],
  };
  w.cluster.agents.put(a);
}

const agent = (w: World) => w.cluster.agents.peek({ name: AGENT });
const condition = (w: World, type: string) =>
  agent(w)?.status?.conditions?.find(c => c.type === type);

describe('agent health controller (Mesos agent_ping_timeout × max_agent_ping_timeouts)', () => {
  it('defaults to 15 s × 5 = 75 s, as Mesos', () => {
    expect(agentHealthTimeoutMs()).to.equal(75_000);
    expect(agentHealthTimeoutMs({ agentPingTimeoutMs: 400, maxAgentPingTimeouts: 5 })).to.equal(
      2000,
    );
    expect(() => agentHealthTimeoutMs({ maxAgentPingTimeouts: 0 })).to.throw(RangeError);
  });

  it('PartitionTest.PartitionedSlave: an agent that stops heartbeating becomes Unreachable and not Ready', async () => {
    const { w, r } = setup();
    w.cluster.agents.put(agentObject({ cpus: '1' }));
    heartbeat(w);
    const first = await r.reconcile({ namespace: '', name: AGENT }, signal);
    expect(first.requeueAfterMs).to.equal(TIMEOUT + 1);
    expect(agentHealth(agent(w)).kind).to.equal('reachable');

    await w.clock.advance(TIMEOUT - 1);
    await r.reconcile({ namespace: '', name: AGENT }, signal);
    expect(agentHealth(agent(w)).kind).to.equal('reachable');

    await w.clock.advance(1);
    await r.reconcile({ namespace: '', name: AGENT }, signal);
    expect(condition(w, 'Unreachable')).to.include({ status: 'True', reason: 'HeartbeatsMissed' });
    expect(condition(w, 'Ready')).to.include({ status: 'False', reason: 'AgentUnreachable' });
    const h = agentHealth(agent(w));
    expect(h).to.deep.equal({ kind: 'unreachable', since: new Date(w.clock.now()).toISOString() });

    const writes = w.cluster.writes;
    await r.reconcile({ namespace: '', name: AGENT }, signal);
    expect(w.cluster.writes, 'a second pass changes nothing').to.equal(writes);
  });

  it('MESOS-7215: an unreachable agent that heartbeats again is cleared', async () => {
    const { w, r } = setup();
    w.cluster.agents.put(agentObject({ cpus: '1' }));
    heartbeat(w);
    await w.clock.advance(TIMEOUT);
    await r.reconcile({ namespace: '', name: AGENT }, signal);
    expect(agentHealth(agent(w)).kind).to.equal('unreachable');
    heartbeat(w);
    await r.reconcile({ namespace: '', name: AGENT }, signal);
    expect(condition(w, 'Unreachable')).to.include({ status: 'False', reason: 'HeartbeatResumed' });
    expect(agentHealth(agent(w)).kind).to.equal('reachable');
  });

  it('an agent that registered and never heartbeat counts from its creation', async () => {
    const { w, r } = setup();
    w.cluster.agents.put(agentObject({ cpus: '1' }));
    await w.clock.advance(TIMEOUT);
    await r.reconcile({ namespace: '', name: AGENT }, signal);
    expect(agentHealth(agent(w)).kind).to.equal('unreachable');
  });

  it('MasterAPITest.MarkRegisteredAgentGone: a gone agent is not Ready, for good', async () => {
    const { w, r } = setup();
    const a = agentObject({ cpus: '1' });
    a.spec.gone = true;
    w.cluster.agents.put(a);
    heartbeat(w);
    await r.reconcile({ namespace: '', name: AGENT }, signal);
    expect(condition(w, 'Ready')).to.include({ status: 'False', reason: 'AgentGone' });
    expect(agentHealth(agent(w)).kind).to.equal('gone');
  });
});

describe('agent health controller: heartbeats as Lease renewals (corral-agent-leases)', () => {
  const leaseAt = (time: number): Lease => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: AGENT, namespace: AGENT_LEASE_NAMESPACE },
    spec: { holderIdentity: AGENT, renewTime: new Date(time).toISOString() },
  });

  it('keeps an agent reachable while its Lease is renewed, however old its status heartbeat', async () => {
    const w = newWorld();
    let lease: Lease | undefined;
    const r = new AgentHealthReconciler({
      agents: w.cluster.agents.cache,
      leases: { get: () => lease, list: () => (lease ? [lease] : []), size: lease ? 1 : 0 },
      api: w.cluster.agents,
      clock: w.clock,
      logger: silent,
      timeoutMs: TIMEOUT,
    });
    w.cluster.agents.put(agentObject({ cpus: '1' }));
    heartbeat(w);
    for (let i = 0; i < 4; i++) {
      await w.clock.advance(TIMEOUT / 2);
      lease = leaseAt(w.clock.now());
      const res = await r.reconcile({ namespace: '', name: AGENT }, signal);
      expect(res.requeueAfterMs, 'looks again when the renewal expires').to.equal(TIMEOUT + 1);
      expect(agentHealth(agent(w)).kind).to.equal('reachable');
    }
    // renewals stop: unreachable a timeout after the last one
    await w.clock.advance(TIMEOUT);
    await r.reconcile({ namespace: '', name: AGENT }, signal);
    expect(condition(w, 'Unreachable')).to.include({ status: 'True', reason: 'HeartbeatsMissed' });
    // and a renewal clears it
    lease = leaseAt(w.clock.now());
    await r.reconcile({ namespace: '', name: AGENT }, signal);
    expect(condition(w, 'Unreachable')).to.include({ status: 'False', reason: 'HeartbeatResumed' });
  });

  it('takes the later of the Lease renewal and the status heartbeat', () => {
    const a = agentObject({ cpus: '1' });
    a.status = { lastHeartbeatTime: new Date(5000).toISOString() };
    expect(lastSign(a, leaseAt(3000))).to.equal(5000);
    expect(lastSign(a, leaseAt(9000))).to.equal(9000);
    expect(lastSign(a, undefined)).to.equal(5000);
  });
});
