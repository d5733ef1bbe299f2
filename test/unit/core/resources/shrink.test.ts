import { expect } from 'chai';
import { Resources } from '../../../../core/resources/index.ts';
import { diskRes, lim, mountSource, qty, res } from './builders.ts';

describe('Resources.shrink', () => {
  const mount20 = diskRes('20', { role: 'role', source: mountSource('mnt') });
  const mount10 = diskRes('10', { role: 'role', source: mountSource('mnt') });
  const volume = diskRes('10', { role: 'role', id: 'v', path: 'p' });

  describe('ResourcesTest.ShrinkToQuantities', () => {
    const cases: [string, Resources, string, Resources][] = [
      ['empty stays empty', Resources.EMPTY, 'cpus:1', Resources.EMPTY],
      ['an empty target drops everything', res('cpus:1'), '', Resources.EMPTY],
      ['simple shrink', res('cpus:2'), 'cpus:1', res('cpus:1')],
      ['several resources', res('cpus:2;mem:20'), 'cpus:1;mem:10', res('cpus:1;mem:10')],
      [
        'extra target names are fine',
        res('cpus:2;mem:20'),
        'cpus:1;mem:10;disk:10',
        res('cpus:1;mem:10'),
      ],
      [
        'names missing from the target are dropped',
        res('cpus:2;mem:20;ports:[1-5]'),
        'cpus:1',
        res('cpus:1'),
      ],
      ['a MOUNT disk is never chopped', mount20, 'disk:10', Resources.EMPTY],
      ['a persistent volume is never chopped', volume, 'disk:5', Resources.EMPTY],
      ['an indivisible disk that fits is taken whole', mount20, 'disk:30', mount20],
    ];
    for (const [name, input, target, want] of cases) {
      it(name, () => expect(input.shrink(qty(target)).toString()).to.equal(want.toString()));
    }
    it('reservations are summed against one target', () => {
      const out = res('cpus:1;cpus(eng):1').shrink(qty('cpus:1.5'));
      expect(out.scalar('cpus')).to.equal(1500n);
      expect(res('cpus:1;cpus(eng):1').contains(out)).to.equal(true);
    });
  });

  describe('ResourcesTest.ShrinkToLimits', () => {
    const cases: [string, Resources, string, Resources][] = [
      ['empty stays empty', Resources.EMPTY, 'cpus:1', Resources.EMPTY],
      ['no limits keep everything', res('cpus:1'), '', res('cpus:1')],
      ['simple shrink', res('cpus:2'), 'cpus:1', res('cpus:1')],
      ['several resources', res('cpus:2;mem:20'), 'cpus:1;mem:10;disk:10', res('cpus:1;mem:10')],
      [
        'unlimited names are kept whole',
        res('cpus:2;mem:20;ports:[1-5]'),
        'cpus:1',
        res('cpus:1;mem:20;ports:[1-5]'),
      ],
      ['a zero limit drops the resource', res('cpus:2;mem:20'), 'cpus:0', res('mem:20')],
      ['a MOUNT disk is never chopped', mount20, 'disk:10', Resources.EMPTY],
    ];
    for (const [name, input, target, want] of cases) {
      it(name, () => expect(input.shrink(lim(target)).toString()).to.equal(want.toString()));
    }
  });

  it('ResourcesTest.Shrink random chopping: either the plain or the MOUNT disk is kept', () => {
    const combined = res('disk:10').add(mount10);
    const first = combined.shrink(qty('disk:10'), { random: () => 0 });
    const last = combined.shrink(qty('disk:10'), { random: () => 0.999 });
    const kept = [first.toString(), last.toString()].sort();
    expect(kept).to.deep.equal([res('disk:10').toString(), mount10.toString()].sort());
    // The default order is random, so over many runs both outcomes appear.
    const seen = new Set<string>();
    for (let i = 0; i < 200 && seen.size < 2; i++)
      seen.add(combined.shrink(qty('disk:10')).toString());
    expect(seen.size).to.equal(2);
  });

  it('keeps a shared volume whole, with its copies, when it fits', () => {
    const shared = diskRes('64', { role: 'r', id: 'v', path: 'p', shared: true });
    const two = shared.add(shared);
    expect(two.shrink(qty('disk:64')).equals(two)).to.equal(true);
    expect(two.shrink(qty('disk:63')).isEmpty()).to.equal(true);
  });

  it('rejects a target that names a range resource', () => {
    expect(() => res('ports:[1-5]').shrink(qty('ports:2'))).to.throw(RangeError, /only scalar/);
  });
});
