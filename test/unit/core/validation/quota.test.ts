import { expect } from 'chai';
import type { QuotaSpec } from '../../../../core/types/index.ts';
import { validateQuota } from '../../../../core/validation/index.ts';

const fields = (spec: QuotaSpec): (string | undefined)[] => validateQuota(spec).map(c => c.field);

describe('validateQuota', () => {
  it('accepts guarantees within limits, and limits for names with no guarantee', () => {
    const spec: QuotaSpec = {
      role: 'eng',
      guarantees: { cpus: 4, mem: '8Gi' },
      limits: { cpus: '4', mem: 16384, gpus: 0 },
    };
    expect(validateQuota(spec)).to.deep.equal([]);
  });

  it('treats a missing limit as infinite', () => {
    expect(
      validateQuota({ role: 'eng', guarantees: { cpus: 1000 }, limits: { mem: 1 } }),
    ).to.deep.equal([]);
  });

  const over: [string, QuotaSpec, string][] = [
    [
      'a cpu guarantee one milli-cpu above its limit',
      { role: 'eng', guarantees: { cpus: '4001m' }, limits: { cpus: 4 } },
      'spec.guarantees.cpus',
    ],
    [
      'a mem guarantee in bytes above a limit in MB',
      { role: 'eng', guarantees: { mem: '2Gi' }, limits: { mem: 2047 } },
      'spec.guarantees.mem',
    ],
    [
      'a guarantee of a custom scalar above a zero limit',
      { role: 'eng', guarantees: { fpgas: 1 }, limits: { fpgas: 0 } },
      'spec.guarantees.fpgas',
    ],
  ];
  for (const [name, spec, field] of over) {
    it(`rejects ${name}`, () => {
      const causes = validateQuota(spec);
      expect(causes.map(c => c.field)).to.deep.equal([field]);
      expect(causes[0]?.message).to.match(/must not exceed the limit/);
    });
  }

  it('compares mem exactly across units: 4096 MB equals 4Gi', () => {
    expect(
      validateQuota({ role: 'eng', guarantees: { mem: 4096 }, limits: { mem: '4Gi' } }),
    ).to.deep.equal([]);
    expect(
      validateQuota({ role: 'eng', guarantees: { mem: '4Gi' }, limits: { mem: 4096 } }),
    ).to.deep.equal([]);
  });

  it('rejects values above Mesos caps: 1 EiB of mem, 1e12 of anything else', () => {
    expect(fields({ role: 'eng', limits: { mem: '1024Pi' } })).to.deep.equal([]);
    expect(fields({ role: 'eng', limits: { mem: '1025Pi' } })).to.deep.equal(['spec.limits.mem']);
    expect(fields({ role: 'eng', guarantees: { cpus: '1001G' } })).to.deep.equal([
      'spec.guarantees.cpus',
    ]);
  });

  it('rejects a nested role and an invalid one', () => {
    expect(fields({ role: 'eng/ml' })).to.deep.equal(['spec.role']);
    expect(fields({ role: 'eng//ml' })).to.deep.equal(['spec.role']);
    expect(fields({ role: '*' })).to.deep.equal([]);
  });

  it('reports a value that is not a quantity instead of throwing', () => {
    expect(fields({ role: 'eng', limits: { cpus: 'lots' } })).to.deep.equal(['spec.limits.cpus']);
  });
});
