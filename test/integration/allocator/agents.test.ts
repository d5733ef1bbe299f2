import { expect } from 'chai';
import type { Offer } from '../../../core/types/index.ts';
import { eventually } from '../../helpers/eventually.ts';
import { kubectlAvailable } from '../../helpers/kubectl.ts';
import type { AllocatorCluster } from './cluster.ts';
import { agentYaml, frameworkYaml, startAllocatorCluster } from './cluster.ts';

const NS = 'team-g';

describe('allocator through the API: agents that go away', function () {
  this.timeout(60_000);
  let cluster: AllocatorCluster;

  before(function () {
    if (!kubectlAvailable()) this.skip();
  });
  beforeEach(async () => {
    cluster = await startAllocatorCluster();
    cluster.controllers('ctl-a');
    await cluster.apply(
      frameworkYaml(NS, 'fw', ['web']) +
        ['node-1', 'node-2', 'node-3'].map(n => agentYaml(n, 2, 1024)).join(''),
    );
  });
  afterEach(async () => {
    await cluster.stop();
  });

  const byAgent = async (): Promise<Map<string, Offer>> =>
    new Map((await cluster.offers(NS)).map(o => [o.spec.agent, o]));

  /** unreachable sets the agent's Unreachable condition, as the agents' health controller will. */
  async function unreachable(agent: string, status: 'True' | 'False'): Promise<void> {
    const condition = {
      type: 'Unreachable',
      status,
      reason: status === 'True' ? 'HeartbeatsMissed' : 'Reregistered',
      lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    await cluster.kubectl.ok([
      'patch',
      'agent',
      agent,
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({ status: { conditions: [condition] } }),
    ]);
  }

  it('rescinds the offers of an Unreachable or gone agent and offers it nothing more', async () => {
    const before = await eventually(async () => {
      const offers = await byAgent();
      expect([...offers.keys()].sort()).to.deep.equal(['node-1', 'node-2', 'node-3']);
      return offers;
    });

    await unreachable('node-1', 'True');
    await cluster.kubectl.ok([
      'patch',
      'agent',
      'node-2',
      '--type=merge',
      '-p',
      '{"spec":{"gone":true}}',
    ]);
    await eventually(async () => expect([...(await byAgent()).keys()]).to.deep.equal(['node-3']));

    // ten allocation intervals later: still nothing on node-1 or node-2, node-3's offer untouched
    for (let i = 0; i < 10; i++) {
      await new Promise(r => setTimeout(r, 150));
      const now = await byAgent();
      expect([...now.keys()]).to.deep.equal(['node-3']);
      expect(now.get('node-3')?.metadata.name).to.equal(before.get('node-3')?.metadata.name);
    }

    // reachable again: offered again
    await unreachable('node-1', 'False');
    await eventually(async () =>
      expect([...(await byAgent()).keys()].sort()).to.deep.equal(['node-1', 'node-3']),
    );
  });

  it('rescinds the offers of a cordoned agent (spec.unschedulable) until it is uncordoned', async () => {
    await eventually(async () => expect((await byAgent()).size).to.equal(3));
    const cordon = (on: boolean) =>
      cluster.kubectl.ok([
        'patch',
        'agent',
        'node-3',
        '--type=merge',
        '-p',
        JSON.stringify({ spec: { unschedulable: on } }),
      ]);
    await cordon(true);
    await eventually(async () => expect((await byAgent()).has('node-3')).to.equal(false));
    await cordon(false);
    await eventually(async () => expect((await byAgent()).has('node-3')).to.equal(true));
  });
});
