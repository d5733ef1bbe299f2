import { expect } from 'chai';
import type { JSONSchemaProps } from '../../../api/registry/crd-types.ts';
import { validateCrd } from '../../../api/registry/crd-validation.ts';
import { checkStructural } from '../../../api/registry/schema/index.ts';
import { CORRAL_KINDS } from '../../../core/types/index.ts';
import { CRD_DIR, loadCrds, readYaml, schemaOf, yamlFiles } from './load-crds.ts';

const SCOPES: Record<string, 'Cluster' | 'Namespaced'> = {
  Agent: 'Cluster',
  Framework: 'Namespaced',
  Role: 'Cluster',
  Quota: 'Cluster',
  Offer: 'Namespaced',
  Reservation: 'Cluster',
  Volume: 'Cluster',
  Task: 'Namespaced',
  Operation: 'Namespaced',
  ResourceProvider: 'Cluster',
};

const COLUMNS: Record<string, string[]> = {
  Agent: ['Hostname', 'Ready', 'CPUs', 'Mem', 'Age'],
  Framework: ['Roles', 'Principal', 'Age'],
  Role: ['Role', 'Weight', 'Age'],
  Quota: ['Role', 'Guarantee CPUs', 'Limit CPUs', 'Consumed CPUs', 'Age'],
  Offer: ['Agent', 'Role', 'CPUs', 'Mem', 'Age'],
  Reservation: ['Agent', 'Role', 'Age'],
  Volume: ['Agent', 'Role', 'Size', 'Age'],
  Task: ['Agent', 'State', 'Reason', 'Age'],
  Operation: ['Type', 'State', 'Agent', 'Age'],
  ResourceProvider: ['Agent', 'Type', 'Age'],
};

// schemaAt follows a printer column's JSONPath through the schema: fields through properties or
// additionalProperties, any bracket (index or filter) into items.
function schemaAt(root: JSONSchemaProps, jsonPath: string): JSONSchemaProps | undefined {
  const steps = jsonPath
    .replace(/\[[^\]]*\]/g, '.[]')
    .split('.')
    .filter(s => s !== '');
  let s: JSONSchemaProps | undefined = root;
  for (const step of steps) {
    if (s === undefined) return undefined;
    if (step === '[]') s = s.items;
    else if (s.properties !== undefined) s = s.properties[step];
    else s = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
  }
  return s;
}

describe('CRDs in crds/', () => {
  const crds = loadCrds();

  it('has one file per Corral kind, named corral.dev_<plural>.yaml', () => {
    expect([...crds.keys()].sort()).to.deep.equal([...CORRAL_KINDS].sort());
    for (const { file, crd } of crds.values()) {
      expect(file).to.equal(`corral.dev_${crd.spec.names.plural}.yaml`);
    }
    expect(yamlFiles(CRD_DIR)).to.have.length(CORRAL_KINDS.length);
  });

  for (const kind of CORRAL_KINDS) {
    describe(kind, () => {
      const { crd, file } = crds.get(kind) ?? { crd: undefined, file: '' };

      it('parses and passes the API server CRD validation, schema structural', () => {
        expect(readYaml(CRD_DIR, file)).to.be.an('object');
        expect(checkStructural(schemaOf(kind), 'schema')).to.deep.equal([]);
        expect(() => validateCrd(structuredClone(crd!))).not.to.throw();
      });

      it('serves corral.dev/v1alpha1 with a status subresource, short names and category', () => {
        const spec = crd!.spec;
        expect(spec.group).to.equal('corral.dev');
        expect(spec.scope).to.equal(SCOPES[kind]);
        expect(spec.names).to.include({
          kind,
          listKind: `${kind}List`,
          singular: kind.toLowerCase(),
        });
        expect(spec.names.shortNames).to.have.length.greaterThan(0);
        expect(spec.names.categories).to.deep.equal(['corral']);
        expect(spec.versions).to.have.length(1);
        expect(spec.versions[0]).to.include({ name: 'v1alpha1', served: true, storage: true });
        expect(spec.versions[0]?.subresources).to.deep.equal({ status: {} });
      });

      it('prints the columns a person wants, each pointing at a schema field', () => {
        const columns = crd!.spec.versions[0]?.additionalPrinterColumns ?? [];
        expect(columns.map(c => c.name)).to.deep.equal(COLUMNS[kind]);
        for (const c of columns) {
          if (c.name === 'Age')
            expect(c).to.include({ type: 'date', jsonPath: '.metadata.creationTimestamp' });
          else expect(schemaAt(schemaOf(kind), c.jsonPath), c.jsonPath).to.not.equal(undefined);
        }
      });

      it('requires spec and splits it from status', () => {
        const root = schemaOf(kind);
        expect(root.required).to.deep.equal(['spec']);
        expect(Object.keys(root.properties ?? {})).to.deep.equal([
          'apiVersion',
          'kind',
          'metadata',
          'spec',
          'status',
        ]);
      });
    });
  }

  it('gives every kind distinct short names', () => {
    const all = [...crds.values()].flatMap(c => c.crd.spec.names.shortNames ?? []);
    expect(new Set(all).size).to.equal(all.length);
  });
});
