import { expect } from 'chai';
import {
  makeRanges,
  makeSet,
  rangesContains,
  rangesSize,
  rangesSubtract,
} from '../../../../core/resources/index.ts';
import { res } from './builders.ts';

const ports = (text: string) => res(`ports:${text}`);

describe('range and set values', () => {
  describe('ResourcesTest.RangesAddition*: ports ranges coalesce', () => {
    const cases: [string, string, string][] = [
      ['[20000-40000]', '[30000-50000, 10000-20000]', '[10000-50000]'],
      ['[1-10, 5-30, 50-60]', '[1-65, 70-80]', '[1-65, 70-80]'],
      ['[1-4, 9-10, 20-22, 26-30]', '[5-8, 23-25]', '[1-10, 20-30]'],
      ['[1-2]', '[3-3]', '[1-3]'], // adjacent ranges merge
      ['[3-3]', '[1-1]', '[1-1, 3-3]'],
    ];
    for (const [a, b, want] of cases) {
      it(`${a} + ${b} = ${want}`, () => {
        expect(ports(a).add(ports(b)).toString()).to.equal(`ports:${want}`);
      });
    }
  });

  describe('ResourcesTest.RangesSubtraction*: ports ranges subtract', () => {
    const cases: [string, string, string][] = [
      ['[20000-40000]', '[30000-50000]', 'ports:[20000-29999]'],
      ['[50000-60000]', '[40000-40000, 50000-50010]', 'ports:[50011-60000]'],
      ['[50000-60000]', '[50000-50001]', 'ports:[50002-60000]'],
      ['[50000-60000]', '[50000-50000]', 'ports:[50001-60000]'],
      ['[1-10, 20-30, 40-50]', '[2-9, 15-45, 48-50]', 'ports:[1-1, 10-10, 46-47]'],
      ['[1-10]', '[1-10]', '{}'],
      ['[5-10]', '[1-4, 11-20]', 'ports:[5-10]'], // removing what is not held is a no-op
      ['[1-100]', '[10-20, 30-40]', 'ports:[1-9, 21-29, 41-100]'],
    ];
    for (const [a, b, want] of cases) {
      it(`${a} - ${b} = ${want}`, () => {
        expect(ports(a).subtract(ports(b)).toString()).to.equal(want);
      });
    }
  });

  it('ResourcesTest.RangesSubset: containment is per integer', () => {
    const r1 = ports('[2-2, 4-5]');
    const r2 = ports('[1-10]');
    const r3 = ports('[2-3]');
    const r4 = ports('[1-2, 4-6]');
    const r5 = ports('[1-4, 5-5]');
    expect(r2.contains(r1)).to.equal(true);
    expect(r1.contains(r2)).to.equal(false);
    expect(r3.contains(r1)).to.equal(false);
    expect(r1.contains(r3)).to.equal(false);
    expect(r2.contains(r3)).to.equal(true);
    expect(r3.contains(r2)).to.equal(false);
    expect(r4.contains(r1)).to.equal(true);
    expect(r2.contains(r4)).to.equal(true);
    expect(r5.contains(r1)).to.equal(true);
    expect(r1.contains(r5)).to.equal(false);
  });

  it('ResourcesTest.RangesEquals: equal integer sets are equal however written', () => {
    expect(ports('[20-40]').equals(ports('[20-30, 31-40]'))).to.equal(true);
    expect(ports('[20-40]').equals(ports('[20-30, 32-40]'))).to.equal(false);
  });

  it('counts range elements and checks nested containment on raw ranges', () => {
    const a = makeRanges([
      { begin: 1, end: 5 },
      { begin: 10, end: 10 },
    ]);
    expect(rangesSize(a)).to.equal(6n);
    expect(rangesContains(a, makeRanges([{ begin: 2, end: 4 }]))).to.equal(true);
    expect(rangesContains(a, makeRanges([{ begin: 4, end: 10 }]))).to.equal(false);
    expect(rangesSubtract(a, makeRanges([{ begin: 0, end: 100 }]))).to.deep.equal([]);
    expect(() => makeRanges([{ begin: 5, end: 1 }])).to.throw(RangeError, /begin > end/);
    expect(() => makeRanges([{ begin: -1, end: 1 }])).to.throw(RangeError);
  });

  describe('ResourcesTest.Set*: sets', () => {
    it('SetAddition: union without duplicates', () => {
      const sum = res('disks:{sda1,sda2,sda3}').add(res('disks:{sda1,sda2,sda3,sda4}'));
      expect(sum.toString()).to.equal('disks:{sda1, sda2, sda3, sda4}');
    });
    it('SetSubtraction: leaves only the items not removed', () => {
      const diff = res('disks:{sda1,sda2,sda3,sda4}').subtract(res('disks:{sda2,sda3,sda4}'));
      expect(diff.toString()).to.equal('disks:{sda1}');
    });
    it('SetSubset: containment by items', () => {
      const big = res('disks:{sda1,sda2,sda3}');
      expect(big.contains(res('disks:{sda1,sda3}'))).to.equal(true);
      expect(res('disks:{sda1,sda3}').contains(big)).to.equal(false);
      expect(big.contains(res('disks:{sda4}'))).to.equal(false);
    });
    it('SetEquals: order does not matter', () => {
      expect(res('disks:{a,b}').equals(res('disks:{b,a}'))).to.equal(true);
    });
    it('rejects duplicated items, as Mesos validation does', () => {
      expect(() => makeSet(['a', 'a'])).to.throw(RangeError, /duplicated/);
    });
  });
});
