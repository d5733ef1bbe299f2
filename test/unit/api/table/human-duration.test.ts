import { expect } from 'chai';
import { humanDuration } from '../../../../api/table/index.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

describe('humanDuration', () => {
  // [duration in ms, expected]: each band's both edges, as kube's HumanDuration
  const cases: [number, string][] = [
    [-2 * S, '<invalid>'],
    [-1999, '0s'], // int(-1.999s) = -1: within the tolerated skew
    [-1 * S, '0s'],
    [-1, '0s'],
    [0, '0s'],
    [999, '0s'],
    [S, '1s'],
    [59 * S, '59s'],
    [2 * M - 1, '119s'],
    [2 * M, '2m'],
    [2 * M + S, '2m1s'],
    [5 * M + 30 * S, '5m30s'],
    [10 * M - 1, '9m59s'],
    [10 * M, '10m'],
    [10 * M + 59 * S, '10m'],
    [3 * H - 1, '179m'],
    [3 * H, '3h'],
    [3 * H + M, '3h1m'],
    [8 * H - 1, '7h59m'],
    [8 * H, '8h'],
    [47 * H + 59 * M, '47h'],
    [48 * H, '2d'],
    [48 * H + H, '2d1h'],
    [8 * D - 1, '7d23h'],
    [8 * D, '8d'],
    [2 * Y - 1, '729d'],
    [2 * Y, '2y'],
    [2 * Y + D, '2y1d'],
    [8 * Y - 1, '7y364d'],
    [8 * Y, '8y'],
    [100 * Y + 200 * D, '100y'],
  ];
  for (const [ms, expected] of cases) {
    it(`renders ${ms} ms as ${expected}`, () => {
      expect(humanDuration(ms)).to.equal(expected);
    });
  }
});
