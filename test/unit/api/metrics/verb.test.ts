import { expect } from 'chai';
import {
  etcdRequestType,
  requestKind,
  requestVerb,
  type RequestVerb,
} from '../../../../api/metrics/index.ts';
import type { VerbInput } from '../../../../api/metrics/verb.ts';

const input = (over: Partial<VerbInput>): VerbInput => ({
  method: 'GET',
  hasName: false,
  watch: undefined,
  contentType: undefined,
  ...over,
});

describe('requestVerb', () => {
  const cases: [string, Partial<VerbInput>, RequestVerb][] = [
    ['a GET of an item', { hasName: true }, 'GET'],
    ['a HEAD of an item', { method: 'HEAD', hasName: true }, 'GET'],
    ['a GET of a collection', {}, 'LIST'],
    ['a GET of a collection with watch=true', { watch: 'true' }, 'WATCH'],
    ['a GET of a collection with watch=1', { watch: '1' }, 'WATCH'],
    // dispatch serves these as lists, so they are counted as lists
    ['a GET of a collection with watch=false', { watch: 'false' }, 'LIST'],
    ['a GET of a collection with watch=yes', { watch: 'yes' }, 'LIST'],
    ['a GET of an item with watch=true', { hasName: true, watch: 'true' }, 'GET'],
    ['a POST (kube says POST, not CREATE)', { method: 'POST' }, 'POST'],
    ['a PUT (kube says PUT, not UPDATE)', { method: 'PUT', hasName: true }, 'PUT'],
    [
      'a merge PATCH',
      { method: 'PATCH', hasName: true, contentType: 'application/merge-patch+json' },
      'PATCH',
    ],
    [
      'a server-side apply PATCH',
      { method: 'PATCH', hasName: true, contentType: 'application/apply-patch+yaml' },
      'APPLY',
    ],
    [
      'an apply PATCH with a charset parameter',
      {
        method: 'PATCH',
        hasName: true,
        contentType: 'Application/Apply-Patch+YAML; charset=utf-8',
      },
      'APPLY',
    ],
    ['a DELETE of an item', { method: 'DELETE', hasName: true }, 'DELETE'],
    ['a DELETE of a collection', { method: 'DELETE' }, 'DELETECOLLECTION'],
    ['a method the API does not serve', { method: 'OPTIONS' }, 'other'],
    ['a made-up method', { method: 'BREW' }, 'other'],
  ];
  for (const [scenario, over, want] of cases) {
    it(`labels ${scenario} ${want}`, () => {
      expect(requestVerb(input(over))).to.equal(want);
    });
  }
});

describe('requestKind', () => {
  it('counts reads as readOnly and every write as mutating', () => {
    const kinds = (
      ['GET', 'LIST', 'WATCH', 'POST', 'PUT', 'PATCH', 'APPLY', 'DELETE'] as const
    ).map(requestKind);
    expect(kinds).to.deep.equal([
      'readOnly',
      'readOnly',
      'readOnly',
      'mutating',
      'mutating',
      'mutating',
      'mutating',
      'mutating',
    ]);
    expect(requestKind('DELETECOLLECTION')).to.equal('mutating');
    expect(requestKind('other')).to.equal('mutating');
  });
});

describe('etcdRequestType', () => {
  it('names the etcd RPC of each store operation', () => {
    expect(etcdRequestType('get')).to.equal('range');
    expect(etcdRequestType('list')).to.equal('range');
    expect(etcdRequestType('revision')).to.equal('range');
    expect(etcdRequestType('create')).to.equal('txn');
    expect(etcdRequestType('update')).to.equal('txn');
    expect(etcdRequestType('delete')).to.equal('txn');
    expect(etcdRequestType('batch')).to.equal('txn');
    expect(etcdRequestType('compact')).to.equal('compact');
  });
});
