import { expect } from 'chai';
import {
  AGGREGATED_DISCOVERY_CONTENT_TYPE,
  AGGREGATED_DISCOVERY_V2BETA1_CONTENT_TYPE,
  discoveryContentType,
  negotiateDiscovery,
} from '../../../../api/discovery/index.ts';
import type { DiscoveryFormat } from '../../../../api/discovery/index.ts';

const KUBECTL_DISCOVERY =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

describe('negotiateDiscovery', () => {
  const cases: [string, string | undefined, DiscoveryFormat][] = [
    ["kubectl 1.32's Accept", KUBECTL_DISCOVERY, 'v2'],
    [
      'a client that only knows v2beta1',
      'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json',
      'v2beta1',
    ],
    [
      'a protobuf-first client (answered in JSON all the same)',
      'application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
      'v2',
    ],
    ['plain JSON (client-node)', 'application/json, */*;q=0.8', 'legacy'],
    ['no Accept header', undefined, 'legacy'],
    [
      'an unknown discovery version',
      'application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList',
      'legacy',
    ],
    ['the wrong group', 'application/json;g=example.com;v=v2;as=APIGroupDiscoveryList', 'legacy'],
    ['a Table request', 'application/json;as=Table;v=v1;g=meta.k8s.io', 'legacy'],
    ['plain JSON listed first', `application/json,${KUBECTL_DISCOVERY}`, 'legacy'],
    [
      'aggregated refused with q=0',
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0,application/json',
      'legacy',
    ],
  ];
  for (const [scenario, header, expected] of cases) {
    it(`answers ${expected} to ${scenario}`, () => {
      expect(negotiateDiscovery(header)).to.equal(expected);
    });
  }
});

describe('discoveryContentType', () => {
  it('is the exact media type client-go recognizes aggregated v2 by', () => {
    expect(AGGREGATED_DISCOVERY_CONTENT_TYPE).to.equal(
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
    expect(discoveryContentType('v2')).to.equal(AGGREGATED_DISCOVERY_CONTENT_TYPE);
  });

  it('names v2beta1 for v2beta1 and plain JSON for legacy documents', () => {
    expect(discoveryContentType('v2beta1')).to.equal(AGGREGATED_DISCOVERY_V2BETA1_CONTENT_TYPE);
    expect(AGGREGATED_DISCOVERY_V2BETA1_CONTENT_TYPE).to.equal(
      'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
    );
    expect(discoveryContentType('legacy')).to.equal('application/json');
  });
});
