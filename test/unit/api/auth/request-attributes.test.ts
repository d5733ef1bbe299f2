import { expect } from 'chai';
import type { QueryValues, RequestInfo } from '../../../../api/auth/index.ts';
import { isWatch, requestAttributesFrom } from '../../../../api/auth/index.ts';

// A row: method, path, query, then the expected resource fields (verb, group, version, resource,
// subresource, namespace, name) or a non-resource verb.
type Row = [string, string, QueryValues, RequestInfo];

const res = (
  verb: string,
  apiGroup: string,
  resource: string,
  where: { ns?: string; name?: string; sub?: string; version?: string } = {},
): RequestInfo => ({
  isResourceRequest: true,
  verb,
  apiGroup,
  apiVersion: where.version ?? 'v1',
  resource,
  subresource: where.sub ?? '',
  namespace: where.ns ?? '',
  name: where.name ?? '',
});

const nonRes = (verb: string, nonResourcePath: string): RequestInfo => ({
  isResourceRequest: false,
  verb,
  nonResourcePath,
});

const W = '/apis/example.com/v1';
const NS = `${W}/namespaces/default/widgets`;

const rows: [string, Row][] = [
  // verbs on a namespaced custom resource
  [
    'GET item is get',
    ['GET', `${NS}/w1`, {}, res('get', 'example.com', 'widgets', { ns: 'default', name: 'w1' })],
  ],
  [
    'HEAD item is get',
    ['HEAD', `${NS}/w1`, {}, res('get', 'example.com', 'widgets', { ns: 'default', name: 'w1' })],
  ],
  [
    'GET collection is list',
    ['GET', NS, {}, res('list', 'example.com', 'widgets', { ns: 'default' })],
  ],
  [
    'GET collection with watch=true is watch',
    ['GET', NS, { watch: 'true' }, res('watch', 'example.com', 'widgets', { ns: 'default' })],
  ],
  [
    'GET collection with watch=1 is watch',
    ['GET', NS, { watch: '1' }, res('watch', 'example.com', 'widgets', { ns: 'default' })],
  ],
  [
    'GET collection with watch=false is list',
    ['GET', NS, { watch: 'false' }, res('list', 'example.com', 'widgets', { ns: 'default' })],
  ],
  [
    'repeated watch parameters use the first',
    ['GET', NS, { watch: ['1', '0'] }, res('watch', 'example.com', 'widgets', { ns: 'default' })],
  ],
  [
    'POST collection is create',
    ['POST', NS, {}, res('create', 'example.com', 'widgets', { ns: 'default' })],
  ],
  [
    'PUT item is update',
    ['PUT', `${NS}/w1`, {}, res('update', 'example.com', 'widgets', { ns: 'default', name: 'w1' })],
  ],
  [
    'PATCH item is patch',
    [
      'PATCH',
      `${NS}/w1`,
      {},
      res('patch', 'example.com', 'widgets', { ns: 'default', name: 'w1' }),
    ],
  ],
  [
    'DELETE item is delete',
    [
      'DELETE',
      `${NS}/w1`,
      {},
      res('delete', 'example.com', 'widgets', { ns: 'default', name: 'w1' }),
    ],
  ],
  [
    'DELETE collection is deletecollection',
    ['DELETE', NS, {}, res('deletecollection', 'example.com', 'widgets', { ns: 'default' })],
  ],
  [
    'an unknown method has an empty verb',
    ['OPTIONS', `${NS}/w1`, {}, res('', 'example.com', 'widgets', { ns: 'default', name: 'w1' })],
  ],
  // subresources
  [
    'PUT status is update of widgets/status',
    [
      'PUT',
      `${NS}/w1/status`,
      {},
      res('update', 'example.com', 'widgets', { ns: 'default', name: 'w1', sub: 'status' }),
    ],
  ],
  [
    'GET scale is get of the scale subresource',
    [
      'GET',
      `${NS}/w1/scale`,
      {},
      res('get', 'example.com', 'widgets', { ns: 'default', name: 'w1', sub: 'scale' }),
    ],
  ],
  // scopes
  [
    'a cluster-scoped item',
    ['GET', `${W}/gadgets/g1`, {}, res('get', 'example.com', 'gadgets', { name: 'g1' })],
  ],
  [
    'a list across all namespaces',
    ['GET', `${W}/widgets`, {}, res('list', 'example.com', 'widgets')],
  ],
  [
    'a CRD',
    [
      'DELETE',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com',
      {},
      res('delete', 'apiextensions.k8s.io', 'customresourcedefinitions', {
        name: 'widgets.example.com',
      }),
    ],
  ],
  // the core group
  [
    'a core namespaced list',
    [
      'GET',
      '/api/v1/namespaces/kube-system/configmaps',
      {},
      res('list', '', 'configmaps', { ns: 'kube-system' }),
    ],
  ],
  [
    'a core namespaced item',
    [
      'PATCH',
      '/api/v1/namespaces/default/configmaps/c1',
      {},
      res('patch', '', 'configmaps', { ns: 'default', name: 'c1' }),
    ],
  ],
  [
    'a core cluster-wide watch',
    ['GET', '/api/v1/events', { watch: 'true' }, res('watch', '', 'events')],
  ],
  // namespaces themselves
  ['the namespace list', ['GET', '/api/v1/namespaces', {}, res('list', '', 'namespaces')]],
  ['creating a namespace', ['POST', '/api/v1/namespaces', {}, res('create', '', 'namespaces')]],
  [
    'a namespace itself lives in its own namespace',
    [
      'GET',
      '/api/v1/namespaces/team',
      {},
      res('get', '', 'namespaces', { ns: 'team', name: 'team' }),
    ],
  ],
  [
    'deleting a namespace',
    [
      'DELETE',
      '/api/v1/namespaces/team',
      {},
      res('delete', '', 'namespaces', { ns: 'team', name: 'team' }),
    ],
  ],
  [
    'a namespace status',
    [
      'PUT',
      '/api/v1/namespaces/team/status',
      {},
      res('update', '', 'namespaces', { ns: 'team', name: 'team', sub: 'status' }),
    ],
  ],
  [
    'a namespace finalize',
    [
      'PUT',
      '/api/v1/namespaces/team/finalize',
      {},
      res('update', '', 'namespaces', { ns: 'team', name: 'team', sub: 'finalize' }),
    ],
  ],
  // field selectors and the deprecated watch prefix
  [
    'a list selecting one name carries the name',
    [
      'GET',
      NS,
      { fieldSelector: 'metadata.name=w1' },
      res('list', 'example.com', 'widgets', { ns: 'default', name: 'w1' }),
    ],
  ],
  [
    'a watch selecting one name with == carries the name',
    [
      'GET',
      NS,
      { watch: 'true', fieldSelector: 'status.phase=Ready,metadata.name==w2' },
      res('watch', 'example.com', 'widgets', { ns: 'default', name: 'w2' }),
    ],
  ],
  [
    'a != selector names nothing',
    [
      'GET',
      NS,
      { fieldSelector: 'metadata.name!=w1' },
      res('list', 'example.com', 'widgets', { ns: 'default' }),
    ],
  ],
  [
    'the /watch/ prefix is a watch',
    [
      'GET',
      `${W}/watch/namespaces/default/widgets/w1`,
      {},
      res('watch', 'example.com', 'widgets', { ns: 'default', name: 'w1' }),
    ],
  ],
  // percent-encoding and trailing slashes
  [
    'path segments are decoded',
    [
      'GET',
      `${W}/namespaces/default/widgets/a%3Ab`,
      {},
      res('get', 'example.com', 'widgets', { ns: 'default', name: 'a:b' }),
    ],
  ],
  [
    'a trailing slash changes nothing',
    ['GET', `${NS}/`, {}, res('list', 'example.com', 'widgets', { ns: 'default' })],
  ],
  // non-resource paths
  ['/apis is non-resource', ['GET', '/apis', {}, nonRes('get', '/apis')]],
  [
    'a group path is non-resource',
    ['GET', '/apis/example.com', {}, nonRes('get', '/apis/example.com')],
  ],
  ['a group-version path is non-resource', ['GET', W, {}, nonRes('get', W)]],
  ['/api is non-resource', ['GET', '/api', {}, nonRes('get', '/api')]],
  ['/api/v1 is non-resource', ['GET', '/api/v1', {}, nonRes('get', '/api/v1')]],
  ['/openapi/v3 is non-resource', ['GET', '/openapi/v3', {}, nonRes('get', '/openapi/v3')]],
  [
    'an openapi group doc is non-resource',
    [
      'GET',
      '/openapi/v3/apis/example.com/v1',
      {},
      nonRes('get', '/openapi/v3/apis/example.com/v1'),
    ],
  ],
  ['/version is non-resource', ['GET', '/version', {}, nonRes('get', '/version')]],
  [
    '/healthz with HEAD keeps the method as verb',
    ['HEAD', '/healthz', {}, nonRes('head', '/healthz')],
  ],
  ['a POST to a non-resource path is post', ['POST', '/logs', {}, nonRes('post', '/logs')]],
  ['the root is non-resource', ['GET', '/', {}, nonRes('get', '/')]],
];

describe('requestAttributesFrom', () => {
  for (const [scenario, [method, path, query, expected]] of rows) {
    it(`${scenario}: ${method} ${path}`, () => {
      expect(requestAttributesFrom(method, path, query)).to.deep.equal(expected);
    });
  }
});

describe('isWatch', () => {
  it('is true only for watch=true or watch=1', () => {
    expect(isWatch({ watch: 'true' })).to.equal(true);
    expect(isWatch({ watch: 'TRUE' })).to.equal(true);
    expect(isWatch({ watch: '1' })).to.equal(true);
    expect(isWatch({ watch: 'false' })).to.equal(false);
    expect(isWatch({ watch: '' })).to.equal(false);
    expect(isWatch({})).to.equal(false);
  });
});
