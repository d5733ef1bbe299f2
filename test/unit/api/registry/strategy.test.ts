import { expect } from 'chai';
import { deepFreeze } from '../../../../core/client/index.ts';
import type { KubeObject } from '../../../../core/types/meta.ts';
import type { ResourceInfo } from '../../../../api/registry/resource-info.ts';
import { prepareUpdate, sameStored } from '../../../../api/registry/strategy.ts';
import type { WriteContext } from '../../../../api/registry/strategy.ts';

const WIDGETS: ResourceInfo = {
  group: 'example.com',
  version: 'v1',
  storageVersion: 'v1',
  plural: 'widgets',
  singular: 'widget',
  kind: 'Widget',
  listKind: 'WidgetList',
  shortNames: [],
  categories: [],
  namespaced: true,
  schema: {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: { size: { type: 'integer' }, replicas: { type: 'integer', default: 1 } },
      },
      status: { type: 'object', properties: { phase: { type: 'string' } } },
    },
  },
  statusSubresource: true,
  printerColumns: [],
  selectableFields: [],
  deprecated: false,
};

const ctx = (): WriteContext => ({
  info: WIDGETS,
  namespace: 'default',
  fieldValidation: 'Warn',
  now: '2026-01-02T00:00:00Z',
  warnings: [],
});

// stored is a Widget as the watch cache holds it: frozen, so changing it throws
function stored(): KubeObject {
  return deepFreeze({
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: {
      name: 'w1',
      namespace: 'default',
      uid: 'u1',
      resourceVersion: '7',
      generation: 2,
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { a: 'b' },
    },
    spec: { size: 1, replicas: 1 },
    status: { phase: 'Old' },
  });
}

const body = (o: KubeObject, change: Partial<KubeObject>): unknown =>
  JSON.parse(JSON.stringify({ ...o, ...change }));

describe('prepareUpdate', () => {
  it('writes a status over a copy: the stored object (the cache’s) is left alone', () => {
    const current = stored();
    const next = prepareUpdate(
      ctx(),
      current,
      body(current, { spec: { size: 9 }, status: { phase: 'New' } }),
      'status',
    );
    expect(next['status']).to.deep.equal({ phase: 'New' });
    // the spec stays the stored one and the generation does not move
    expect(next['spec']).to.deep.equal({ size: 1, replicas: 1 });
    expect(next.metadata.generation).to.equal(2);
    expect(Object.keys(next)).to.deep.equal(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    expect(next['spec']).to.not.equal(current['spec']);
  });

  it('drops the status a status write leaves out', () => {
    const current = stored();
    const rest: KubeObject = { ...current };
    delete rest['status'];
    const next = prepareUpdate(ctx(), current, body(rest, {}), 'status');
    expect(next).to.not.have.property('status');
  });

  it('writes the main resource over a copy of the stored status, bumping generation on a spec change', () => {
    const current = stored();
    const next = prepareUpdate(
      ctx(),
      current,
      body(current, { spec: { size: 3 }, status: { phase: 'Ignored' } }),
      'main',
    );
    expect(next['spec']).to.deep.equal({ size: 3, replicas: 1 });
    expect(next['status']).to.deep.equal({ phase: 'Old' });
    expect(next['status']).to.not.equal(current['status']);
    expect(next.metadata.generation).to.equal(3);
  });
});

describe('sameStored', () => {
  const base = (): KubeObject => JSON.parse(JSON.stringify(stored())) as KubeObject;
  const cases: [string, (o: KubeObject) => void, boolean][] = [
    ['the same object', () => undefined, true],
    ['another resourceVersion', o => (o.metadata.resourceVersion = '8'), true],
    ['no resourceVersion', o => delete o.metadata.resourceVersion, true],
    ['an undefined member', o => (o['extra'] = undefined), true],
    [
      'members in another order',
      o => {
        const members = Object.entries(o).reverse();
        for (const [k] of members) Reflect.deleteProperty(o, k);
        for (const [k, v] of members) o[k] = v;
      },
      true,
    ],
    ['a changed status', o => (o['status'] = { phase: 'New' }), false],
    ['a changed label', o => (o.metadata.labels = { a: 'c' }), false],
    ['an added label', o => (o.metadata.labels = { a: 'b', c: 'd' }), false],
    ['a resourceVersion member outside metadata', o => (o['resourceVersion'] = '1'), false],
    ['a number that JSON spells as null', o => (o['spec'] = { size: NaN, replicas: 1 }), false],
    ['a missing member', o => delete o['status'], false],
  ];
  for (const [what, change, same] of cases) {
    it(`${same ? 'counts' : 'does not count'} ${what} as the stored object`, () => {
      const next = base();
      change(next);
      expect(sameStored(stored(), next)).to.equal(same);
      expect(sameStored(next, stored())).to.equal(same);
    });
  }

  it('compares an undefined array item as null, as JSON stores it', () => {
    const a = { ...base(), list: [null, 1] };
    const b = { ...base(), list: [undefined, 1] };
    expect(sameStored(a, b)).to.equal(true);
  });
});
