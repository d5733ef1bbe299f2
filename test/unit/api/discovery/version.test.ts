import { expect } from 'chai';
import { kubeVersionOrder, versionInfo } from '../../../../api/discovery/index.ts';

describe('versionInfo', () => {
  it('claims kube 1.32 so the kubectl dispatcher runs kubectl 1.32', () => {
    expect(versionInfo()).to.include({
      major: '1',
      minor: '32',
      gitVersion: 'v1.32.0-corral',
      compiler: 'gc',
    });
  });

  it('takes build facts from its options', () => {
    const v = versionInfo({
      gitCommit: 'abc',
      buildDate: '2026-02-03T04:05:06Z',
      platform: 'linux/arm64',
    });
    expect(v).to.include({
      gitCommit: 'abc',
      buildDate: '2026-02-03T04:05:06Z',
      platform: 'linux/arm64',
    });
  });
});

describe('kubeVersionOrder', () => {
  const cases: [string, string[], string[]][] = [
    ['GA before beta before alpha', ['v1alpha1', 'v1beta1', 'v1'], ['v1', 'v1beta1', 'v1alpha1']],
    [
      'higher majors first within a stability',
      ['v1', 'v2', 'v1beta1', 'v2beta1'],
      ['v2', 'v1', 'v2beta1', 'v1beta1'],
    ],
    ['any GA before any beta', ['v2beta1', 'v1'], ['v1', 'v2beta1']],
    ['higher minors first', ['v1beta1', 'v1beta2', 'v1beta10'], ['v1beta10', 'v1beta2', 'v1beta1']],
    [
      'non-kube versions last, alphabetically',
      ['foo', 'v1', 'bar', 'v1alpha1'],
      ['v1', 'v1alpha1', 'bar', 'foo'],
    ],
  ];
  for (const [scenario, input, expected] of cases) {
    it(`orders ${scenario}`, () => {
      expect([...input].sort(kubeVersionOrder)).to.deep.equal(expected);
    });
  }
});
