import { expect } from 'chai';
import { parseAccept, tableVersion, wantsTable } from '../../../../api/discovery/index.ts';

const KUBECTL_GET =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const CLIENT_GO_METADATA =
  'application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

describe('parseAccept', () => {
  it("splits kubectl get's header into three ranges with their parameters", () => {
    const ranges = parseAccept(KUBECTL_GET);
    expect(ranges).to.have.length(3);
    expect(ranges[0]).to.deep.equal({
      type: 'application',
      subtype: 'json',
      params: { as: 'Table', v: 'v1', g: 'meta.k8s.io' },
      q: 1,
    });
    expect(ranges[1]?.params['v']).to.equal('v1beta1');
    expect(ranges[2]).to.deep.equal({ type: 'application', subtype: 'json', params: {}, q: 1 });
  });

  it('reads q, lower-cases names, unquotes values and keeps commas inside quotes', () => {
    const [a, b] = parseAccept('Application/JSON; Q=0.5; AS="Ta,ble" , */*;q=0');
    expect(a).to.deep.equal({
      type: 'application',
      subtype: 'json',
      params: { as: 'Ta,ble' },
      q: 0.5,
    });
    expect(b).to.include({ type: '*', subtype: '*', q: 0 });
  });

  const empties: [string, string | undefined][] = [
    ['an absent header', undefined],
    ['an empty header', ''],
    ['entries without a subtype', 'json, , application/'],
  ];
  for (const [scenario, header] of empties) {
    it(`yields no ranges for ${scenario}`, () => {
      expect(parseAccept(header)).to.deep.equal([]);
    });
  }
});

describe('wantsTable', () => {
  const cases: [string, string | undefined, boolean][] = [
    ["kubectl get's Accept", KUBECTL_GET, true],
    ['a lone v1beta1 Table', 'application/json;as=Table;v=v1beta1;g=meta.k8s.io', true],
    ['parameters in another order', 'application/json;g=meta.k8s.io;v=v1;as=Table', true],
    ['plain JSON (kubectl -o yaml, client-node)', 'application/json', false],
    ['no Accept at all', undefined, false],
    ['*/*', '*/*', false],
    ['a Table of another group', 'application/json;as=Table;v=v1;g=example.com', false],
    ['a Table of an unknown version', 'application/json;as=Table;v=v2;g=meta.k8s.io', false],
    ['a Table without group or version', 'application/json;as=Table', false],
    ['plain JSON preferred over a Table', `application/json,${KUBECTL_GET}`, false],
    ['a Table ranked higher by q', `application/json;q=0.5,${KUBECTL_GET}`, true],
    [
      'a Table refused with q=0',
      'application/json;as=Table;v=v1;g=meta.k8s.io;q=0,application/json',
      false,
    ],
    ["client-go's metadata-only Accept", CLIENT_GO_METADATA, false],
  ];
  for (const [scenario, header, expected] of cases) {
    it(`is ${expected} for ${scenario}`, () => {
      expect(wantsTable(header)).to.equal(expected);
    });
  }

  it('reports which Table version was asked for', () => {
    expect(tableVersion(KUBECTL_GET)).to.equal('v1');
    expect(tableVersion('application/json;as=Table;v=v1beta1;g=meta.k8s.io')).to.equal('v1beta1');
    expect(tableVersion('application/json')).to.equal(undefined);
  });
});
