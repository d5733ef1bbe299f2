import { expect } from 'chai';
import type { FrameworkSpec } from '../../../../core/types/index.ts';
import { validateFramework, validateFrameworkUpdate } from '../../../../core/validation/index.ts';

const base = (over: Partial<FrameworkSpec> = {}): FrameworkSpec => ({
  roles: ['eng', 'eng/ml'],
  capabilities: ['MULTI_ROLE'],
  principal: 'fw',
  offerFilters: [{ role: 'eng', minAllocatableResources: [{ cpus: 1, mem: '1Gi' }] }],
  suppressedRoles: ['eng/ml'],
  ...over,
});
const fields = (spec: FrameworkSpec): (string | undefined)[] =>
  validateFramework(spec).map(c => c.field);

describe('validateFramework', () => {
  it('accepts a multi-role framework with filters and a suppressed role', () => {
    expect(validateFramework(base())).to.deep.equal([]);
  });

  it('accepts one role without MULTI_ROLE', () => {
    expect(fields(base({ roles: ['eng'], capabilities: [], suppressedRoles: [] }))).to.deep.equal(
      [],
    );
  });

  it('needs MULTI_ROLE for more than one role', () => {
    expect(fields(base({ capabilities: ['PARTITION_AWARE'] }))).to.deep.equal(['spec.roles']);
  });

  it('rejects suppressing or filtering a role the framework does not subscribe to', () => {
    expect(fields(base({ suppressedRoles: ['ops'] }))).to.deep.equal(['spec.suppressedRoles[0]']);
    expect(fields(base({ offerFilters: [{ role: 'ops' }] }))).to.deep.equal([
      'spec.offerFilters[0].role',
    ]);
  });

  it('reports a minimum allocatable quantity that does not parse, at its path', () => {
    const spec = base({
      offerFilters: [{ role: 'eng', minAllocatableResources: [{ mem: '500m' }] }],
    });
    expect(fields(spec)).to.deep.equal(['spec.offerFilters[0].minAllocatableResources[0].mem']);
  });

  it('keeps the principal across updates, as Mesos does', () => {
    expect(validateFrameworkUpdate(base(), base({ failoverTimeoutSeconds: 60 }))).to.deep.equal([]);
    const causes = validateFrameworkUpdate(base(), base({ principal: 'other' }));
    expect(causes.map(c => [c.field, c.message])).to.deep.equal([
      ['spec.principal', 'Invalid value: "other": field is immutable'],
    ]);
  });
});
