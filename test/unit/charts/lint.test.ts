import { expect } from 'chai';
import { CHART_DIR, helm, withValuesFile } from './helm.ts';
import { NON_DEFAULT_VALUES } from './values.ts';

describe('charts/corral: helm lint', () => {
  it('passes --strict with the default values', () => {
    const r = helm(['lint', '--strict', CHART_DIR]);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(r.stdout).to.include('1 chart(s) linted, 0 chart(s) failed');
  });

  it('passes --strict with every optional value set', () => {
    const r = withValuesFile(NON_DEFAULT_VALUES, path =>
      helm(['lint', '--strict', CHART_DIR, '--values', path]),
    );
    expect(r.code, r.stdout + r.stderr).to.equal(0);
  });
});
