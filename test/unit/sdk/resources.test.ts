import { expect } from 'chai';
import type { Resources } from '../../../core/resources/index.ts';
import { parseResourceText } from '../../../core/resources/index.ts';
import type { TaskTemplate } from '../../../core/types/index.ts';
import {
  fits,
  offerResources,
  offersWithEnough,
  packTasks,
  pickResources,
  reservedAs,
  toResources,
  volumeOf,
} from '../../../sdk/index.ts';
import { pickResources as enginePick } from '../../../controllers/offers/engine/index.ts';
import { offer } from './builders.ts';

const res = (text: string): Resources => parseResourceText(text);
const reserved = (text: string): Resources => reservedAs(res(text), { role: 'a', principal: 'p' });
const task = (name: string, resources: TaskTemplate['spec']['resources']): TaskTemplate => ({
  name,
  spec: { resources, command: { value: 'true' } },
});

describe('sdk resource helpers', () => {
  it('offerResources reads the list form without the allocation role', () => {
    const got = offerResources(offer('o1', '1.5'));
    expect(got.toString()).to.equal('cpus:1.5; mem:1024');
  });

  it('toResources takes exact resources, the list form and the map form alike', () => {
    const map = toResources({ cpus: '0.5', mem: '64', ports: '31000-31001' });
    const list = toResources([{ name: 'cpus', scalar: '500m' }]);
    expect(map.toString()).to.equal('cpus:0.5; mem:64; ports:[31000-31001]');
    expect(list.equals(res('cpus:0.5'))).to.equal(true);
    expect(toResources(map)).to.equal(map);
  });

  const cases: {
    name: string;
    available: Resources;
    wants: string;
    picked: string | undefined;
    revocable?: boolean;
  }[] = [
    {
      name: 'exact fit',
      available: res('cpus:1;mem:64'),
      wants: 'cpus:1;mem:64',
      picked: 'cpus:1; mem:64',
    },
    {
      name: 'short of cpus',
      available: res('cpus:0.5;mem:64'),
      wants: 'cpus:1',
      picked: undefined,
    },
    {
      name: 'reserved first, then unreserved',
      available: reserved('cpus:0.5').add(res('cpus:2')),
      wants: 'cpus:1',
      picked: 'cpus:0.5; cpus(reservations: [(DYNAMIC,a,p)]):0.5',
    },
    {
      name: 'a named port must be there',
      available: res('ports:[31000-31005]'),
      wants: 'ports:[31003]',
      picked: 'ports:[31003-31003]',
    },
    {
      name: 'a port not offered',
      available: res('ports:[31000-31005]'),
      wants: 'ports:[32000]',
      picked: undefined,
    },
    {
      name: 'volumes are never plain disk',
      available: toResources(
        volumeOf(reserved('disk:64'), { persistenceId: 'v', containerPath: 'v' }),
      ),
      wants: 'disk:10',
      picked: undefined,
    },
  ];
  for (const c of cases) {
    it(`pickResources: ${c.name}, as the offer controller picks`, () => {
      const wants = res(c.wants);
      const got = pickResources(c.available, wants);
      expect(got?.toString()).to.equal(c.picked);
      expect(got?.toString()).to.equal(
        enginePick(c.available, wants, { revocable: false })?.toString(),
      );
      if (got !== undefined) expect(c.available.contains(got)).to.equal(true);
    });
  }

  it('takes revocable resources only when allowed, and never mixes them with others', () => {
    const available = res('cpus:0.5').add(
      res('cpus:2')
        .toArray()
        .map(r => ({ ...r, revocable: true }))
        .reduce((acc, r) => acc.add(r), res('')),
    );
    expect(fits(available, { cpus: 1 })).to.equal(false);
    const got = pickResources(available, res('cpus:1'), { revocable: true });
    expect(got?.toArray().every(r => r.revocable)).to.equal(true);
  });

  it('packTasks fits as many tasks as the offer holds, first come first served', () => {
    const tasks = [
      task('t1', { cpus: 1, mem: 64 }),
      task('t2', { cpus: 1, mem: 64 }),
      task('t3', { cpus: '0.5', mem: 32 }),
    ];
    const { packed, rest, remaining } = packTasks(res('cpus:1.5;mem:256'), tasks);
    expect(packed.map(t => t.name)).to.deep.equal(['t1', 't3']);
    expect(rest.map(t => t.name)).to.deep.equal(['t2']);
    expect(remaining.toString()).to.equal('mem:160');
  });

  it('offersWithEnough keeps the offers that can hold the requests', () => {
    const offers = [offer('small', '0.5'), offer('big', '4')];
    expect(offersWithEnough(offers, { cpus: 1 }).map(o => o.metadata.name)).to.deep.equal(['big']);
  });
});
