import { expect } from 'chai';
import type { KubeObject } from '../../../../core/types/index.ts';
import { validateCorralObject, validateCorralUpdate } from '../../../../core/validation/index.ts';

const quota = (cpus: number): KubeObject => ({
  apiVersion: 'corral.dev/v1alpha1',
  kind: 'Quota',
  metadata: { name: 'eng' },
  spec: { role: 'eng', guarantees: { cpus }, limits: { cpus: 4 } },
});

describe('validateCorralObject', () => {
  it('dispatches on kind: a Quota gets validateQuota', () => {
    expect(validateCorralObject(quota(2))).to.deep.equal([]);
    expect(validateCorralObject(quota(5)).map(c => c.field)).to.deep.equal([
      'spec.guarantees.cpus',
    ]);
  });

  it('leaves other groups, kinds without rules and spec-less objects alone', () => {
    expect(validateCorralObject({ ...quota(5), apiVersion: 'example.com/v1' })).to.deep.equal([]);
    expect(validateCorralObject({ ...quota(5), kind: 'Role' })).to.deep.equal([]);
    expect(
      validateCorralObject({ apiVersion: 'corral.dev/v1alpha1', kind: 'Quota', metadata: {} }),
    ).to.deep.equal([]);
  });
});

describe('validateCorralUpdate', () => {
  it('applies the update rules of the kind', () => {
    const agent = (hostname: string): KubeObject => ({
      apiVersion: 'corral.dev/v1alpha1',
      kind: 'Agent',
      metadata: { name: 'a' },
      spec: { hostname },
    });
    expect(validateCorralUpdate(agent('h1'), agent('h1'))).to.deep.equal([]);
    expect(validateCorralUpdate(agent('h1'), agent('h2')).map(c => c.field)).to.deep.equal([
      'spec.hostname',
    ]);
    expect(validateCorralUpdate(quota(1), quota(2))).to.deep.equal([]);
  });
});
