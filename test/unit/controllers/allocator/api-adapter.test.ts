// The API adapter with a fake API: objects in, Offers and Quota status out, and a new leader's
// rebuild that never offers what is already offered or in use.
import { expect } from 'chai';
import { parseResourceList } from '../../../../core/resources/index.ts';
import type { Offer } from '../../../../core/types/index.ts';
import { offerName } from '../../../../controllers/allocator/api-convert.ts';
import { REVIVE_ANNOTATION, createAllocator } from '../../../../controllers/allocator/index.ts';
import { seededRandom } from '../../../../controllers/allocator/random.ts';
import { FakeClock } from '../../../helpers/fake-clock.ts';
import {
  FakeApi,
  agentObj,
  frameworkObj,
  offerObj,
  quotaObj,
  reservationObj,
  taskObj,
  volumeObj,
} from './api-objects.ts';

const EMPTY = {
  agents: [],
  reservations: [],
  volumes: [],
  frameworks: [],
  roles: [],
  quotas: [],
  tasks: [],
  offers: [],
};

function setup(config = {}) {
  const clock = new FakeClock();
  const api = new FakeApi();
  const allocator = createAllocator({ clock, api, config, random: seededRandom(5), epoch: 1 });
  const signal = new AbortController().signal;
  const step = () => allocator.loop.step(signal);
  const offered = (o: Offer) => parseResourceList(o.spec.resources).unallocate().toString();
  return { clock, api, ...allocator, step, offered };
}

describe('allocator: API adapter', () => {
  it("publishes an Offer per decision in the framework's namespace, with a deterministic name", async () => {
    const { adapter, api, step } = setup({ offerTimeoutMs: 10_000 });
    adapter.agents.add(
      agentObj(
        'node-1',
        { cpus: 2, mem: 1024, ports: '31000-31009' },
        { attributes: { rack: 'r1' } },
      ),
    );
    adapter.frameworks.add(frameworkObj('team', 'spark', ['eng/ml']));
    await step();
    expect(api.created).to.have.length(1);
    const [o] = api.created;
    expect(o?.metadata).to.deep.include({
      namespace: 'team',
      name: offerName('node-1', 'eng/ml', 1, 1),
    });
    expect(o?.metadata.name).to.equal('node-1-eng-ml-1-1');
    expect(o?.spec).to.deep.include({
      framework: 'spark',
      agent: 'node-1',
      role: 'eng/ml',
      hostname: 'node-1.example.com',
    });
    expect(o?.spec.attributes).to.deep.equal({ rack: 'r1' });
    expect(o?.spec.resources.every(r => r.allocationRole === 'eng/ml')).to.equal(true);
    expect(o?.spec.quantities).to.deep.equal({ cpus: '2', mem: '1024' });
    expect(o?.spec.expirationTimestamp).to.be.a('string');
  });

  it('rebuild: a new leader counts existing offers and tasks, so it never offers them again', async () => {
    const { adapter, api, step, offered, model } = setup();
    const predecessors = offerObj('team', 'old-offer', {
      framework: 'spark',
      agent: 'node-1',
      role: 'r',
      resources: [
        { name: 'cpus', scalar: '2', allocationRole: 'r' },
        { name: 'mem', scalar: 1024, allocationRole: 'r' },
      ],
    });
    adapter.rebuild({
      ...EMPTY,
      agents: [agentObj('node-1', { cpus: 4, mem: 2048 })],
      frameworks: [frameworkObj('team', 'spark', ['r'])],
      tasks: [
        taskObj('team', 't1', {
          framework: 'spark',
          agent: 'node-1',
          role: 'r',
          resources: { cpus: 1, mem: 512 },
        }),
      ],
      offers: [predecessors],
    });
    // Replaying the same objects as informer adds changes nothing.
    adapter.offers.add(predecessors);
    adapter.agents.add(agentObj('node-1', { cpus: 4, mem: 2048 }));
    expect(model.offers.size).to.equal(1);
    await step();
    expect(api.created.map(offered)).to.deep.equal(['cpus:1; mem:512']);
  });

  it("derives an agent's total from its Reservations and Volumes", () => {
    const { adapter, model } = setup();
    const reserved = { type: 'DYNAMIC' as const, role: 'db', principal: 'ops' };
    adapter.reservations.add(
      reservationObj('rsv', 'node-1', 'db', [
        { name: 'cpus', scalar: 2, reservations: [reserved] },
        { name: 'disk', scalar: 500, reservations: [reserved] },
      ]),
    );
    adapter.volumes.add(
      volumeObj('vol', 'node-1', 'db', {
        name: 'disk',
        scalar: 200,
        reservations: [reserved],
        disk: { persistence: { id: 'pg' }, volume: { containerPath: 'data', mode: 'RW' } },
      }),
    );
    adapter.agents.add(agentObj('node-1', { cpus: 4, mem: 1024, disk: 1000 }));
    const total = model.agents.get('node-1')?.total;
    expect(total?.toString()).to.equal(
      'cpus:2; cpus(reservations: [(DYNAMIC,db,ops)]):2; disk:500; ' +
        'disk(reservations: [(DYNAMIC,db,ops)]):300; ' +
        'disk(reservations: [(DYNAMIC,db,ops)])[pg:data]:200; mem:1024',
    );
    adapter.reservations.delete(reservationObj('rsv', 'node-1', 'db', []));
    adapter.volumes.delete(volumeObj('vol', 'node-1', 'db', { name: 'disk', scalar: 1 }));
    expect(model.agents.get('node-1')?.total.toString()).to.equal('cpus:4; disk:1000; mem:1024');
  });

  it('a decline seen on the Offer leaves a filter when the Offer is deleted', async () => {
    const { adapter, api, step, model, clock } = setup();
    adapter.agents.add(agentObj('node-1', { cpus: 2, mem: 1024 }));
    adapter.frameworks.add(frameworkObj('team', 'spark', ['r']));
    await step();
    const made = api.created[0] as Offer;
    const answered: Offer = {
      ...made,
      spec: { ...made.spec, response: { decline: { filters: { refuseSeconds: 30 } } } },
    };
    adapter.offers.add(made);
    adapter.offers.update(made, answered);
    adapter.offers.delete(answered);
    expect(model.frameworks.get('team/spark')?.filters.count('r')).to.equal(1);
    await clock.advance(1000);
    await step();
    expect(api.created).to.have.length(1);
  });

  it("an accepted offer's resources wait for its tasks, then the rest comes back", async () => {
    const { adapter, api, step, model, clock, offered } = setup({ acceptSettleMs: 2000 });
    adapter.agents.add(agentObj('node-1', { cpus: 2, mem: 1024 }));
    adapter.frameworks.add(frameworkObj('team', 'spark', ['r']));
    await step();
    const made = api.created[0] as Offer;
    const accepted: Offer = {
      ...made,
      spec: {
        ...made.spec,
        response: { accept: { operations: [], filters: { refuseSeconds: 0 } } },
      },
    };
    adapter.offers.delete(accepted);
    await clock.advance(1000);
    await step();
    expect(api.created).to.have.length(1);
    adapter.tasks.add(
      taskObj('team', 't1', {
        framework: 'spark',
        agent: 'node-1',
        role: 'r',
        resources: { cpus: 1, mem: 512 },
        offer: made.metadata.name ?? '',
      }),
    );
    expect(model.usages.size).to.equal(1);
    await clock.advance(1000);
    await step();
    expect(api.created.slice(1).map(offered)).to.deep.equal(['cpus:1; mem:512']);
  });

  it('a finished task gives its resources back at once', async () => {
    const { adapter, api, step } = setup();
    const running = taskObj('team', 't1', {
      framework: 'spark',
      agent: 'node-1',
      role: 'r',
      resources: { cpus: 2, mem: 1024 },
    });
    adapter.tasks.add(running);
    adapter.agents.add(agentObj('node-1', { cpus: 2, mem: 1024 }));
    adapter.frameworks.add(frameworkObj('team', 'spark', ['r']));
    await step();
    expect(api.created).to.have.length(0);
    adapter.tasks.update(running, { ...running, status: { state: 'TASK_FINISHED' } });
    await step();
    expect(api.created).to.have.length(1);
  });

  it('rescinds the offers of a deleted framework or agent, and of offers on unknown agents', async () => {
    const { adapter, api, step, model } = setup();
    adapter.agents.add(agentObj('node-1', { cpus: 2, mem: 1024 }));
    const fw = frameworkObj('team', 'spark', ['r']);
    adapter.frameworks.add(fw);
    await step();
    adapter.frameworks.delete(fw);
    adapter.offers.add(
      offerObj('team', 'stray', {
        framework: 'spark',
        agent: 'ghost',
        role: 'r',
        resources: [{ name: 'cpus', scalar: 1 }],
      }),
    );
    await step();
    expect(api.deleted.map(d => d.name)).to.deep.equal([api.created[0]?.metadata.name, 'stray']);
    expect(model.offers.size).to.equal(0);
  });

  it('leaves an answered offer of a deleted framework to the offer controller', async () => {
    const { adapter, api, step } = setup();
    adapter.agents.add(agentObj('node-1', { cpus: 2, mem: 1024 }));
    const fw = frameworkObj('team', 'spark', ['r']);
    adapter.frameworks.add(fw);
    await step();
    const made = api.created[0] as Offer;
    adapter.offers.add(made);
    adapter.offers.update(made, {
      ...made,
      spec: { ...made.spec, response: { accept: { operations: [] } } },
    });
    adapter.frameworks.delete(fw);
    await step();
    expect(api.deleted, 'an answered offer is not rescinded midway').to.deep.equal([]);
  });

  it('writes quota status to the Quota object of the role', async () => {
    const { adapter, api, step } = setup();
    adapter.quotas.add(quotaObj('ml-quota', 'ml', { cpus: 4 }));
    adapter.agents.add(agentObj('node-1', { cpus: 2, mem: 1024 }));
    adapter.frameworks.add(frameworkObj('team', 'spark', ['ml']));
    await step();
    expect(api.statuses).to.deep.equal([
      [
        'ml-quota',
        {
          observedGeneration: 3,
          consumed: {},
          offered: { cpus: '2', mem: '1024' },
          headroom: { cpus: '2' },
        },
      ],
    ]);
  });

  it("the revive annotation clears the framework's filters", async () => {
    const { adapter, api, step, clock } = setup();
    adapter.agents.add(agentObj('node-1', { cpus: 2, mem: 1024 }));
    const fw = frameworkObj('team', 'spark', ['r']);
    adapter.frameworks.add(fw);
    await step();
    const made = api.created[0] as Offer;
    adapter.offers.delete({
      ...made,
      spec: { ...made.spec, response: { decline: { filters: { refuseSeconds: 3600 } } } },
    });
    await clock.advance(1000);
    await step();
    expect(api.created).to.have.length(1);
    adapter.frameworks.update(fw, {
      ...fw,
      metadata: { ...fw.metadata, annotations: { [REVIVE_ANNOTATION]: 'now' } },
    });
    await step();
    expect(api.created).to.have.length(2);
  });
});
