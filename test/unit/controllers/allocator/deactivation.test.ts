// Mesos rescinds the offers of an agent that is deactivated (unreachable, cordoned, draining):
// the adapter asks for their deletion and keeps them counted until the deletion is observed.
import { expect } from 'chai';
import { createAllocator } from '../../../../controllers/allocator/index.ts';
import { seededRandom } from '../../../../controllers/allocator/random.ts';
import { FakeClock } from '../../../helpers/fake-clock.ts';
import { FakeApi, agentObj, frameworkObj, offerObj } from './api-objects.ts';

function setup() {
  const clock = new FakeClock();
  const api = new FakeApi();
  const allocator = createAllocator({ clock, api, random: seededRandom(3), epoch: 1 });
  const step = () => allocator.loop.step(new AbortController().signal);
  return { clock, api, ...allocator, step };
}

const unreachable = (name: string) => {
  const a = agentObj(name, { cpus: 2, mem: 1024 });
  return {
    ...a,
    status: {
      conditions: [
        {
          type: 'Unreachable',
          status: 'True' as const,
          reason: 'HeartbeatsMissed',
          lastTransitionTime: '2024-01-01T00:00:00Z',
        },
      ],
    },
  };
};

describe('allocator: agents that become inactive', () => {
  it('rescinds the unanswered offers of an agent that turns Unreachable, and offers it nothing', async () => {
    const { adapter, api, step, model } = setup();
    const node = agentObj('node-1', { cpus: 2, mem: 1024 });
    adapter.agents.add(node);
    adapter.frameworks.add(frameworkObj('team', 'fw', ['r']));
    await step();
    expect(api.created).to.have.length(1);
    adapter.agents.update(node, unreachable('node-1'));
    await step();
    expect(api.deleted.map(d => d.name)).to.deep.equal([api.created[0]?.metadata.name]);
    // still counted until the deletion is seen
    expect(model.offers.size).to.equal(1);
    adapter.offers.delete({ ...api.created[0]!, metadata: { ...api.created[0]!.metadata } });
    expect(model.offers.size).to.equal(0);
    await step();
    expect(api.created).to.have.length(1);
  });

  it('does not rescind twice when an inactive agent is updated again', async () => {
    const { adapter, api, step } = setup();
    const node = agentObj('node-1', { cpus: 2, mem: 1024 });
    adapter.agents.add(node);
    adapter.frameworks.add(frameworkObj('team', 'fw', ['r']));
    await step();
    adapter.agents.update(node, unreachable('node-1'));
    adapter.agents.update(unreachable('node-1'), unreachable('node-1'));
    await step();
    expect(api.deleted).to.have.length(1);
  });

  it("leaves answered offers to the offer controller, and rescinds a predecessor's offer on an inactive agent", async () => {
    const { adapter, api, step } = setup();
    adapter.rebuild({
      agents: [unreachable('node-1')],
      reservations: [],
      volumes: [],
      frameworks: [frameworkObj('team', 'fw', ['r'])],
      roles: [],
      quotas: [],
      tasks: [],
      offers: [
        offerObj('team', 'open', {
          framework: 'fw',
          agent: 'node-1',
          role: 'r',
          resources: [{ name: 'cpus', scalar: '1', allocationRole: 'r' }],
        }),
        offerObj(
          'team',
          'answered',
          {
            framework: 'fw',
            agent: 'node-1',
            role: 'r',
            resources: [{ name: 'mem', scalar: '512', allocationRole: 'r' }],
          },
          { decline: {} },
        ),
      ],
    });
    await step();
    expect(api.deleted.map(d => d.name)).to.deep.equal(['open']);
    expect(api.created).to.have.length(0);
  });
});
