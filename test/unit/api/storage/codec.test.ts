import { expect } from 'chai';
import fc from 'fast-check';
import type { IKeyValue } from 'etcd3';
import { decodeKv, encodeForStore } from '../../../../api/storage/codec.ts';
import type { KubeObject } from '../../../../core/types/meta.ts';
import { withoutManagedFields } from '../../../../api/handlers/render.ts';

// what decoding the stored bytes at revision `rv` gives: the object the watch cache holds
function decodedAt(stored: string, rv: string): KubeObject | undefined {
  const kv = { key: Buffer.from('k'), value: Buffer.from(stored), mod_revision: rv };
  return decodeKv(kv as unknown as IKeyValue)?.object;
}

// any object: top-level members before and after metadata, metadata with or without a
// resourceVersion and managedFields, members JSON leaves out
const anyObject = fc
  .tuple(
    fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 3 }),
    fc.dictionary(
      fc.constantFrom('name', 'uid', '7', 'resourceVersion', 'labels', 'managedFields', 'x'),
      fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined)),
      { maxKeys: 4 },
    ),
    fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 3 }),
    fc.boolean(),
  )
  .map(([before, metadata, after, withUndefined]) => {
    const o: Record<string, unknown> = { ...before };
    delete o['metadata'];
    o['metadata'] = metadata;
    for (const [k, v] of Object.entries(after)) if (k !== 'metadata') o[k] = v;
    if (withUndefined) o['gone'] = undefined;
    return o as unknown as KubeObject;
  });

describe('encodeForStore (the stored JSON, and the served JSON from the same pieces)', () => {
  it('stores exactly what JSON.stringify gives of the object without resourceVersion', () => {
    fc.assert(
      fc.property(anyObject, obj => {
        const metadata = { ...obj.metadata };
        delete metadata.resourceVersion;
        expect(encodeForStore(obj).stored).to.equal(JSON.stringify({ ...obj, metadata }));
      }),
    );
  });

  it('serves, byte for byte, what rendering the decoded stored value at that revision gives', () => {
    fc.assert(
      fc.property(anyObject, fc.bigInt({ min: 1n, max: 2n ** 62n }), (obj, rev) => {
        const rv = rev.toString();
        const e = encodeForStore(obj);
        expect(e.served(rv).json).to.equal(JSON.stringify(decodedAt(e.stored, rv)));
      }),
    );
  });

  it('serves lean, byte for byte, what the decoded value without managedFields gives', () => {
    fc.assert(
      fc.property(anyObject, fc.bigInt({ min: 1n, max: 2n ** 62n }), (obj, rev) => {
        const rv = rev.toString();
        const decoded = decodedAt(encodeForStore(obj).stored, rv) as KubeObject;
        const rendered = encodeForStore(obj).served(rv);
        expect(rendered.lean()).to.equal(JSON.stringify(withoutManagedFields(decoded)));
        // the same twice (the lean metadata is rendered once), and the full JSON is unchanged
        expect(rendered.lean()).to.equal(JSON.stringify(withoutManagedFields(decoded)));
        expect(rendered.json).to.equal(JSON.stringify(decoded));
      }),
    );
  });

  it('serves lean without the managedFields the full JSON has, and the same when it has none', () => {
    const managedFields = [{ manager: 'm', operation: 'Update', fieldsV1: { 'f:spec': {} } }];
    const obj = {
      apiVersion: 'v1',
      kind: 'Thing',
      metadata: { name: 'a', managedFields, labels: { x: 'y' } },
      spec: { n: 1 },
    } as unknown as KubeObject;
    const served = encodeForStore(obj).served('7');
    expect(served.json).to.include('"managedFields"');
    expect(served.lean()).to.equal(
      '{"apiVersion":"v1","kind":"Thing","metadata":{"name":"a","labels":{"x":"y"},"resourceVersion":"7"},"spec":{"n":1}}',
    );
    const bare = encodeForStore({ ...obj, metadata: { name: 'a' } }).served('7');
    expect(bare.lean()).to.equal(bare.json);
  });

  it('adds resourceVersion to empty metadata, and to metadata first in the object', () => {
    const empty = encodeForStore({ apiVersion: 'v1', kind: 'Thing', metadata: {} });
    expect(empty.served('5').json).to.equal(
      '{"apiVersion":"v1","kind":"Thing","metadata":{"resourceVersion":"5"}}',
    );
    const first = encodeForStore({
      metadata: { name: 'a', resourceVersion: '4' },
      kind: 'Thing',
    } as unknown as KubeObject);
    expect(first.stored).to.equal('{"metadata":{"name":"a"},"kind":"Thing"}');
    expect(first.served('6').json).to.equal(
      '{"metadata":{"name":"a","resourceVersion":"6"},"kind":"Thing"}',
    );
  });
});
