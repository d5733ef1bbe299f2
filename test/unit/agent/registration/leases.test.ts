import { expect } from 'chai';
import type { Agent } from '../../../../core/types/agent.ts';
import { agentLeaseDurationSeconds, renewLease } from '../../../../agent/registration/leases.ts';
import { microTime } from '../../../../core/util/micro-time.ts';
import { FakeClock } from '../../../helpers/fake-clock.ts';
import { fakeCluster } from './fakes.ts';

const agent: Agent = {
  apiVersion: 'corral.dev/v1alpha1',
  kind: 'Agent',
  metadata: { name: 'a', uid: 'uid-1' },
  spec: { hostname: 'h', resources: {}, reconfigurationPolicy: 'equal' },
};

describe('agent Leases (fake API)', () => {
  it('renders MicroTime with six fraction digits', () => {
    expect(microTime(Date.UTC(2026, 0, 2, 3, 4, 5, 678))).to.equal('2026-01-02T03:04:05.678000Z');
  });

  for (const [intervalMs, timeoutMs, seconds] of [
    [5000, undefined, 20],
    [5000, 75_000, 75],
    [300, undefined, 2],
    [100, 400, 1],
  ] as const) {
    it(`a ${intervalMs} ms heartbeat with health timeout ${timeoutMs ?? 'unknown'} holds its Lease ${seconds} s`, () => {
      expect(agentLeaseDurationSeconds(intervalMs, timeoutMs)).to.equal(seconds);
    });
  }

  it('points the ownerReference at the Agent registered now, keeping other owners', async () => {
    const clock = new FakeClock();
    const cluster = fakeCluster(clock, agent);
    cluster.state.namespaces.add('corral-agent-leases');
    const renew = (base: Parameters<typeof renewLease>[0]['base'], ownerUid: string) =>
      renewLease({
        api: cluster.leases,
        agent: 'a',
        ownerUid,
        base,
        nowMs: clock.now(),
        durationSeconds: 20,
        fieldManager: 'corral-agent',
      });
    const first = await renew(undefined, 'uid-1');
    const other = { apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'cm' };
    const edited = await cluster.leases.update({
      ...first,
      metadata: {
        ...first.metadata,
        ownerReferences: [...(first.metadata.ownerReferences ?? []), other],
      },
    });
    // the Agent was deleted and registered again: a new uid
    const second = await renew(edited, 'uid-2');
    expect(second.metadata.ownerReferences).to.deep.equal([
      other,
      { apiVersion: 'corral.dev/v1alpha1', kind: 'Agent', name: 'a', uid: 'uid-2' },
    ]);
    expect(second.spec?.acquireTime).to.equal(first.spec?.acquireTime);
  });
});
