import { expect } from 'chai';
import { CORRAL_KINDS } from '../../../core/types/index.ts';
import { SAMPLE_DIR, admit, readYaml, yamlFiles } from './load-crds.ts';

const kebab = (kind: string): string =>
  kind.replace(/[a-z][A-Z]/g, m => `${m[0]}-${m[1]}`).toLowerCase();

describe('samples/', () => {
  it('has one sample per kind, named after it', () => {
    expect(yamlFiles(SAMPLE_DIR)).to.deep.equal(CORRAL_KINDS.map(k => `${kebab(k)}.yaml`).sort());
  });

  for (const kind of CORRAL_KINDS) {
    const file = `${kebab(kind)}.yaml`;
    it(`${file} is a ${kind} the API accepts as written, every field known to the schema`, () => {
      const doc = readYaml(SAMPLE_DIR, file) as Record<string, unknown>;
      expect(doc).to.include({ apiVersion: 'corral.dev/v1alpha1', kind });
      const { pruned, causes } = admit(doc);
      expect(pruned, 'fields the schema does not know').to.deep.equal([]);
      expect(causes).to.deep.equal([]);
    });
  }
});
