import { expect } from 'chai';
import {
  ResourceLimits,
  ResourceParseError,
  ResourceQuantities,
  Resources,
  scalarFromMilli,
} from '../../../../core/resources/index.ts';
import { build, diskRes, dynamicRes, lim, qty, res } from './builders.ts';

describe('ResourceQuantities and ResourceLimits', () => {
  it('QuantitiesTest.FromStringValid: sums repeated names, drops zeros, sorts names', () => {
    expect(qty('mem:10;cpus:1;cpus:0.5;disk:0').toString()).to.equal('cpus:1.5; mem:10');
    expect(qty('').isEmpty()).to.equal(true);
    expect(qty('  cpus : 2 ').get('cpus')).to.equal(2000n);
  });

  describe('QuantitiesTest.FromStringInvalid', () => {
    for (const text of [
      'cpus:a10',
      'cpus:3.14c',
      'ports:3,cpus:1',
      'ports:3;cpus:-1',
      'cpus:nan',
      'cpus:inf',
      'cpus:[1-2]',
      'cpus(r):1',
    ]) {
      it(`rejects ${text}`, () => expect(() => qty(text)).to.throw(ResourceParseError));
    }
  });

  it('QuantitiesTest.FromResources: ranges and sets count elements', () => {
    const q = res('cpus:1;mem:512;ports:[5000-6000];zones:{a,b};disk:800').toQuantities();
    expect(q.toString()).to.equal('cpus:1; disk:800; mem:512; ports:1001; zones:2');
  });

  describe('QuantitiesTest.Addition/Subtraction', () => {
    const cases: [string, 'add' | 'subtract', string, string][] = [
      ['', 'subtract', 'cpus:1', '{}'],
      ['cpus:1', 'subtract', '', 'cpus:1'],
      ['cpus:1', 'subtract', 'cpus:0.4', 'cpus:0.6'],
      ['cpus:1', 'subtract', 'cpus:1', '{}'],
      ['cpus:1', 'subtract', 'cpus:1.4', '{}'], // floors at zero, and zero is dropped
      ['cpus:1', 'subtract', 'mem:100', 'cpus:1'],
      ['cpus:1;mem:100', 'subtract', 'alphas:1;cpus:0.5', 'cpus:0.5; mem:100'],
      ['cpus:1', 'add', 'cpus:0.5;mem:3', 'cpus:1.5; mem:3'],
      ['', 'add', 'cpus:1', 'cpus:1'],
      ['alphas:1', 'add', 'zetas:1;betas:2', 'alphas:1; betas:2; zetas:1'],
    ];
    for (const [a, op, b, want] of cases) {
      it(`${a || '{}'} ${op} ${b || '{}'} = ${want}`, () => {
        expect(qty(a)[op](qty(b)).toString()).to.equal(want);
      });
    }
  });

  it('QuantitiesTest.Contains: missing means zero', () => {
    expect(qty('').contains(qty(''))).to.equal(true);
    expect(qty('cpus:1').contains(qty(''))).to.equal(true);
    expect(qty('').contains(qty('cpus:1'))).to.equal(false);
    expect(qty('cpus:2;mem:1').contains(qty('cpus:1'))).to.equal(true);
    expect(qty('cpus:1').contains(qty('cpus:1;mem:1'))).to.equal(false);
    expect(qty('cpus:1').equals(qty('cpus:1;mem:0'))).to.equal(true);
  });

  it('LimitsTest.Contains: missing means infinite', () => {
    expect(lim('').contains(lim(''))).to.equal(true);
    expect(lim('').contains(lim('cpus:1'))).to.equal(true);
    expect(lim('cpus:1').contains(lim(''))).to.equal(false);
    expect(lim('cpus:1;mem:1').contains(lim('cpus:1;mem:1;disk:1'))).to.equal(true);
    expect(lim('cpus:1;mem:1;disk:1').contains(lim('cpus:1;mem:1'))).to.equal(false);
    expect(lim('cpus:1;mem:1').contains(lim('cpus:1;disk:1'))).to.equal(false);
    expect(lim('cpus:2;mem:2').contains(lim('cpus:2;mem:1'))).to.equal(true);
    expect(lim('cpus:2;mem:1').contains(lim('cpus:2;mem:2'))).to.equal(false);
  });

  it('LimitsTest.ContainsQuantities: quantities ≤ limits', () => {
    expect(lim('').admits(qty('cpus:100'))).to.equal(true);
    expect(lim('cpus:1').admits(qty('cpus:1;mem:1000'))).to.equal(true);
    expect(lim('cpus:1').admits(qty('cpus:1.001'))).to.equal(false);
    expect(lim('cpus:0').admits(qty(''))).to.equal(true);
  });

  describe('LimitsTest.SubtractQuantities: finite limits floor at zero and stay', () => {
    const cases: [string, string, string][] = [
      ['', '', ''],
      ['', 'cpus:10', ''],
      ['cpus:1', '', 'cpus:1'],
      ['cpus:1', 'cpus:1', 'cpus:0'],
      ['cpus:1', 'cpus:2', 'cpus:0'],
      ['cpus:1;mem:10', 'cpus:1;disk:10', 'cpus:0;mem:10'],
      ['cpus:1;mem:10', 'cpus:1;mem:5;disk:10', 'cpus:0;mem:5'],
    ];
    for (const [l, q, want] of cases) {
      it(`${l || '{}'} - ${q || '{}'} = ${want || '{}'}`, () => {
        expect(lim(l).subtractQuantities(qty(q)).equals(lim(want))).to.equal(true);
      });
    }
  });

  it('LimitsTest.FromStringValid/Invalid: zero kept, duplicates rejected', () => {
    expect(lim('cpus:0').get('cpus')).to.equal(0n);
    expect(lim('cpus:0').get('mem')).to.equal(undefined);
    expect(() => lim('cpus:1;cpus:2')).to.throw(ResourceParseError, /duplicate/);
    expect(() =>
      ResourceLimits.from([
        ['cpus', scalarFromMilli(1n)],
        ['cpus', scalarFromMilli(1n)],
      ]),
    ).to.throw(RangeError);
    expect(lim('mem:1;cpus:2').set('mem', scalarFromMilli(5n)).toString()).to.equal(
      'cpus:2; mem:0.005',
    );
  });

  it('rejects negative amounts built in code', () => {
    expect(() => ResourceQuantities.from({ cpus: -1n as never })).to.throw(RangeError);
  });

  describe('ResourcesTest.ContainsResourceQuantities', () => {
    const cases: [string, Resources, string, boolean][] = [
      ['empty contains empty', Resources.EMPTY, '', true],
      ['empty does not contain cpus', Resources.EMPTY, 'cpus:1', false],
      ['anything contains empty', res('cpus:1'), '', true],
      ['more cpus', res('cpus:2'), 'cpus:1', true],
      ['equal cpus', res('cpus:1'), 'cpus:1', true],
      ['fewer cpus', res('cpus:0.5'), 'cpus:1', false],
      ['ports by count', res('ports:[1-3]'), 'ports:2', true],
      ['ports exactly', res('ports:[1-2]'), 'ports:2', true],
      ['too few ports', res('ports:[1-1]'), 'ports:2', false],
      ['set items by count', res('features:{a,b,c}'), 'features:2', true],
      ['too few set items', res('features:{a}'), 'features:2', false],
      [
        'several names',
        res('cpus:3;ports:[1-3];features:{a,b,c};mem:10'),
        'cpus:3;ports:3;features:3',
        true,
      ],
      [
        'one name short',
        res('cpus:1;ports:[1-3];features:{a,b,c}'),
        'cpus:3;ports:3;features:3',
        false,
      ],
      ['one name missing', res('cpus:3;ports:[1-3]'), 'cpus:3;ports:3;features:3', false],
      ['reserved cpus alone', res('cpus(role1):2'), 'cpus:3', false],
      ['reserved and unreserved together', res('cpus(role1):2;cpus:1'), 'cpus:3', true],
      [
        'dynamically reserved and unreserved ports',
        build('ports', '[1-10]').reserve(dynamicRes('role', 'p')).all().add(res('ports:[20-25]')),
        'ports:12',
        true,
      ],
      [
        'a shared volume counts once',
        diskRes('64', { role: 'r', id: 'v', path: 'p', shared: true }),
        'disk:128',
        false,
      ],
      [
        'a shared volume plus plain disk',
        diskRes('64', { role: 'r', id: 'v', path: 'p', shared: true }).add(res('disk:64')),
        'disk:128',
        true,
      ],
    ];
    for (const [name, have, want, expected] of cases) {
      it(`${name}: ${expected}`, () =>
        expect(have.containsQuantities(qty(want))).to.equal(expected));
    }
  });
});
