// The CRDs have one source, the repository's crds/; the chart ships a copy (Helm reads only its
// own directory). This test keeps the copy identical.
import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CHART_DIR } from './helm.ts';

const yamlIn = (dir: string): string[] =>
  readdirSync(dir)
    .filter(f => f.endsWith('.yaml'))
    .sort();

describe('charts/corral/crds', () => {
  const source = resolve('crds');
  const shipped = join(CHART_DIR, 'crds');
  const fix = 'copy them again: cp crds/*.yaml charts/corral/crds/';

  it('ships exactly the CRD files of crds/', () => {
    expect(yamlIn(shipped), fix).to.deep.equal(yamlIn(source));
    expect(yamlIn(source)).to.have.length.greaterThan(0);
  });

  it('ships each CRD byte for byte as crds/ has it', () => {
    for (const f of yamlIn(source)) {
      const a = readFileSync(join(source, f), 'utf8');
      const b = readFileSync(join(shipped, f), 'utf8');
      expect(b === a, `charts/corral/crds/${f} differs from crds/${f}: ${fix}`).to.equal(true);
    }
  });
});
