import { expect } from 'chai';
import type { Lease } from '../../../../core/client/index.ts';
import { ObjectStore } from '../../../../core/client/object-store.ts';
import type { Agent } from '../../../../core/types/index.ts';
import { AGENT_LEASE_NAMESPACE } from '../../../../core/types/index.ts';
import { agentOfLeaseWhenUnreachable } from '../../../../controllers/agents/index.ts';
import { agentObject } from '../offers/world.ts';

const lease = (name: string, rv: string): Lease => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name, namespace: AGENT_LEASE_NAMESPACE, resourceVersion: rv },
  spec: { holderIdentity: name, renewTime: '2026-11-21T10:00:00.000000Z' },
});

function withUnreachable(a: Agent, status: 'True' | 'False', rv: string): Agent {
  return {
    ...a,
    metadata: { ...a.metadata, resourceVersion: rv },
    status: {
      conditions: [
        { type: 'Unreachable', status, reason: 'HeartbeatsMissed', lastTransitionTime: 'x' },
      ],
    },
  };
}

describe('agent health: which Lease renewals wake the controller', () => {
  it('a renewal of a reachable agent queues nothing (its deadline reconcile reads the Lease)', () => {
    const agents = new ObjectStore<Agent>();
    const map = agentOfLeaseWhenUnreachable(agents);
    agents.upsert({ ...agentObject({ cpus: '1' }, undefined, 'a1'), metadata: { name: 'a1' } });
    expect(map(lease('a1', '1'))).to.deep.equal([]);
    agents.upsert(withUnreachable(agentObject({ cpus: '1' }, undefined, 'a1'), 'False', '2'));
    expect(map(lease('a1', '3'))).to.deep.equal([]);
  });

  it('a renewal of an agent marked Unreachable queues the agent, so the mark is cleared at once', () => {
    const agents = new ObjectStore<Agent>();
    const map = agentOfLeaseWhenUnreachable(agents);
    agents.upsert(withUnreachable(agentObject({ cpus: '1' }, undefined, 'a1'), 'True', '2'));
    expect(map(lease('a1', '3'))).to.deep.equal([{ namespace: '', name: 'a1' }]);
  });

  it('a Lease whose Agent the cache does not hold yet queues it; a gone agent is left alone', () => {
    const agents = new ObjectStore<Agent>();
    const map = agentOfLeaseWhenUnreachable(agents);
    expect(map(lease('new', '1'))).to.deep.equal([{ namespace: '', name: 'new' }]);
    const gone = withUnreachable(agentObject({ cpus: '1' }, undefined, 'g'), 'True', '4');
    agents.upsert({ ...gone, spec: { ...gone.spec, gone: true } });
    expect(map(lease('g', '5'))).to.deep.equal([]);
  });
});
