import { expect } from 'chai';
import { dominantShare } from '../../../../core/resources/index.ts';
import { qty } from './builders.ts';

describe('dominantShare', () => {
  const total = qty('cpus:100;mem:1000;gpus:4');
  const cases: {
    name: string;
    alloc: string;
    weight: number;
    excluded?: string[];
    want: number;
  }[] = [
    { name: 'nothing allocated', alloc: '', weight: 1, want: 0 },
    { name: 'cpu dominant', alloc: 'cpus:50;mem:100', weight: 1, want: 0.5 },
    { name: 'mem dominant', alloc: 'cpus:10;mem:700', weight: 1, want: 0.7 },
    { name: 'weight 2 halves the share', alloc: 'cpus:50', weight: 2, want: 0.25 },
    { name: 'gpus dominate unless excluded', alloc: 'cpus:10;gpus:4', weight: 1, want: 1 },
    {
      name: 'DRFWithFairnessExclusion: excluded gpus do not count',
      alloc: 'cpus:10;gpus:4',
      weight: 1,
      excluded: ['gpus'],
      want: 0.1,
    },
    {
      name: 'resources absent from the total count for nothing',
      alloc: 'disk:10;cpus:1',
      weight: 1,
      want: 0.01,
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const excluded = tc.excluded === undefined ? undefined : new Set(tc.excluded);
      expect(dominantShare(qty(tc.alloc), total, tc.weight, excluded)).to.be.closeTo(
        tc.want,
        1e-12,
      );
    });
  }

  it('skips names with a zero total', () => {
    expect(dominantShare(qty('cpus:1'), qty('mem:10'), 1)).to.equal(0);
  });

  it('rejects a weight that is not a positive finite number', () => {
    for (const w of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => dominantShare(qty(''), total, w)).to.throw(RangeError);
    }
  });
});
