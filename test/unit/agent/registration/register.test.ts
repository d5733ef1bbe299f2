import { expect } from 'chai';
import { pino } from 'pino';
import type { Agent } from '../../../../core/types/agent.ts';
import { AgentGoneError } from '../../../../agent/registration/agent-gone.ts';
import { registerAgent } from '../../../../agent/registration/register.ts';
import { FakeClock } from '../../../helpers/fake-clock.ts';
import { fakeCluster } from './fakes.ts';

const spec: Agent['spec'] = {
  hostname: 'h',
  resources: { cpus: '1' },
  reconfigurationPolicy: 'equal',
};

describe('agent registration of an Agent marked gone (fake API)', () => {
  it('refuses with AgentGoneError and writes nothing to the record', async () => {
    const clock = new FakeClock();
    const gone: Agent = {
      apiVersion: 'corral.dev/v1alpha1',
      kind: 'Agent',
      metadata: { name: 'a', uid: 'u' },
      spec: { ...spec, gone: true },
    };
    const cluster = fakeCluster(clock, gone);
    const err = await registerAgent({
      api: cluster.agents,
      name: 'a',
      spec,
      annotations: {},
      apiEndpoint: 'http://127.0.0.1:1',
      clock,
      logger: pino({ level: 'silent' }),
    }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(AgentGoneError);
    expect((err as AgentGoneError).agent).to.equal('a');
    expect(cluster.calls.map(c => c.verb)).to.deep.equal(['get']);
  });
});
