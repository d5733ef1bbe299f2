import { expect } from 'chai';
import { corralKinds } from '../../../../core/client/index.ts';
import { CORRAL_KINDS } from '../../../../core/types/index.ts';
import { loadCrds } from '../../crds/load-crds.ts';

describe('corralKinds', () => {
  const crds = loadCrds();

  it('has one entry per CRD, keyed by its plural', () => {
    const plurals = [...crds.values()].map(c => c.crd.spec.names.plural).sort();
    expect(Object.keys(corralKinds).sort()).to.deep.equal(plurals);
    expect(
      Object.values(corralKinds)
        .map(k => k.kind)
        .sort(),
    ).to.deep.equal([...CORRAL_KINDS].sort());
  });

  for (const [plural, kind] of Object.entries(corralKinds)) {
    it(`matches the CRD of ${kind.kind}: group, version, plural, scope, status subresource`, () => {
      const crd = crds.get(kind.kind)?.crd;
      expect(crd, `crds/ has ${kind.kind}`).to.not.equal(undefined);
      const version = crd!.spec.versions[0]!;
      expect(kind.group).to.equal(crd!.spec.group);
      expect(kind.version).to.equal(version.name);
      expect(kind.plural).to.equal(plural).and.to.equal(crd!.spec.names.plural);
      expect(kind.namespaced).to.equal(crd!.spec.scope === 'Namespaced');
      expect(kind.hasStatus).to.equal(version.subresources?.status !== undefined);
    });
  }
});
