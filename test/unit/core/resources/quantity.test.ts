import { expect } from 'chai';
import {
  formatScalar,
  parseQuantity,
  ResourceParseError,
  scalarFromMilli,
} from '../../../../core/resources/index.ts';
import type { QuantityUnit } from '../../../../core/resources/index.ts';
import { res } from './builders.ts';

describe('quantity', () => {
  describe('parses Kubernetes quantities into exact Mesos units', () => {
    const cases: { input: string | number; unit: QuantityUnit; milli: bigint }[] = [
      { input: '2', unit: 'count', milli: 2000n },
      { input: 2, unit: 'count', milli: 2000n },
      { input: '0.5', unit: 'count', milli: 500n },
      { input: 0.1, unit: 'count', milli: 100n },
      { input: '.25', unit: 'count', milli: 250n },
      { input: '500m', unit: 'count', milli: 500n },
      { input: '1.5', unit: 'count', milli: 1500n },
      { input: '1e3', unit: 'count', milli: 1_000_000n },
      { input: '1E3', unit: 'count', milli: 1_000_000n },
      { input: '2.5e-1', unit: 'count', milli: 250n },
      { input: '2k', unit: 'count', milli: 2_000_000n },
      { input: '+3', unit: 'count', milli: 3000n },
      { input: ' 4 ', unit: 'count', milli: 4000n },
      { input: '1e+21', unit: 'count', milli: 10n ** 24n },
      // Bare numbers on mem/disk are MB, as in Mesos; a suffix means bytes.
      { input: '2048', unit: 'megabytes', milli: 2_048_000n },
      { input: '1e3', unit: 'megabytes', milli: 1_000_000n },
      { input: '2Gi', unit: 'megabytes', milli: 2_048_000n },
      { input: '100Mi', unit: 'megabytes', milli: 100_000n },
      { input: '1.5Gi', unit: 'megabytes', milli: 1_536_000n },
      { input: '512Ki', unit: 'megabytes', milli: 500n },
      { input: '1Ki', unit: 'megabytes', milli: 1n }, // 0.000977 MB rounds up to 0.001
      { input: '1Ti', unit: 'megabytes', milli: 1_048_576_000n },
      // 1e9 bytes = 953.67431640625 MB, rounded half up to three decimals.
      { input: '1G', unit: 'megabytes', milli: 953_674n },
      { input: '0', unit: 'megabytes', milli: 0n },
      // E and Ei are byte suffixes, not exponents: 1Ei = 2^60 bytes = 2^40 MB
      { input: '1Ei', unit: 'megabytes', milli: (1n << 40n) * 1000n },
      { input: '2E', unit: 'megabytes', milli: 1_907_348_632_812_500n },
    ];
    for (const { input, unit, milli } of cases) {
      it(`${JSON.stringify(input)} as ${unit} → ${milli} milli`, () => {
        expect(parseQuantity(input, { field: 'f', unit })).to.equal(milli);
      });
    }
  });

  describe('rejects what is not a non-negative representable amount', () => {
    const cases: { input: unknown; unit: QuantityUnit; why: RegExp }[] = [
      { input: '-1', unit: 'count', why: /negative/ },
      { input: -1, unit: 'count', why: /negative/ },
      { input: 'a10', unit: 'count', why: /invalid quantity/ },
      { input: '3.14c', unit: 'count', why: /invalid quantity/ },
      { input: 'nan', unit: 'count', why: /invalid quantity/ },
      { input: 'inf', unit: 'count', why: /invalid quantity/ },
      { input: 'infinity', unit: 'count', why: /invalid quantity/ },
      { input: Number.POSITIVE_INFINITY, unit: 'count', why: /finite/ },
      { input: Number.NaN, unit: 'count', why: /finite/ },
      { input: '1e', unit: 'count', why: /invalid quantity/ },
      { input: '', unit: 'count', why: /invalid quantity/ },
      { input: '1e1000', unit: 'count', why: /exponent out of range/ },
      { input: true, unit: 'count', why: /string or a number/ },
      { input: null, unit: 'count', why: /string or a number/ },
      // ResourcesTest.VerySmallValue: below the three-decimal precision.
      { input: '0.00001', unit: 'count', why: /below 0.001/ },
      { input: '0.4Ki', unit: 'megabytes', why: /below 0.001/ },
      { input: '500m', unit: 'megabytes', why: /smaller than a byte/ },
    ];
    for (const { input, unit, why } of cases) {
      it(`${String(input)} as ${unit}`, () => {
        const err: unknown = (() => {
          try {
            parseQuantity(input, { field: 'spec.cpus', unit });
          } catch (e) {
            return e;
          }
          return undefined;
        })();
        expect(err).to.be.instanceOf(ResourceParseError);
        expect((err as ResourceParseError).field).to.equal('spec.cpus');
        expect((err as ResourceParseError).message).to.match(why);
      });
    }
  });

  describe('ResourcesTest.PrintingScalarPrecision', () => {
    const cases: [string, string][] = [
      ['1.234', '1.234'],
      ['1.2345', '1.235'], // extra precision is rounded, half up
      ['1.2344', '1.234'],
      ['1.1', '1.1'], // no trailing zeros
      ['1000001', '1000001'], // large integers print all digits
      ['99999999999.9994', '99999999999.999'],
      ['0.001', '0.001'],
      ['0.0005', '0.001'],
    ];
    for (const [input, printed] of cases) {
      it(`cpus:${input} prints as cpus:${printed}`, () => {
        expect(res(`cpus:${input}`).toString()).to.equal(`cpus:${printed}`);
      });
    }
  });

  it('ResourcesTest.PrecisionRounding: 1.5015 rounds to 1.502 and stays exact through arithmetic', () => {
    const cpu = res('cpus:1.5015');
    const r = cpu.add(cpu).add(cpu).subtract(cpu).subtract(cpu);
    expect(r.equals(cpu)).to.equal(true);
    expect(formatScalar(r.scalar('cpus'))).to.equal('1.502');
  });

  it('ResourcesTest.PrecisionManyConsecutiveOps: 0.1 added 1000 times is exactly 100', () => {
    let r = res('cpus:0');
    for (let i = 0; i < 1000; i++) r = r.add(res('cpus:0.1'));
    expect(r.scalar('cpus')).to.equal(scalarFromMilli(100_000n));
    for (let i = 0; i < 1000; i++) r = r.subtract(res('cpus:0.1'));
    expect(r.isEmpty()).to.equal(true);
  });
});
