import { expect } from 'chai';
import fc from 'fast-check';
import { decodeKv, encodeObject } from '../../../../api/storage/codec.ts';
import { copyAsStored, keptAsStored } from '../../../../api/storage/json-copy.ts';
import { deepFreeze } from '../../../../core/util/deep-freeze.ts';
import type { KubeObject } from '../../../../core/types/meta.ts';

// decoded is what the watch cache would hold after decoding the stored bytes, without the
// resourceVersion that decodeKv adds.
function decoded(obj: KubeObject): KubeObject {
  const kv = { key: Buffer.from('k'), value: Buffer.from(encodeObject(obj)), mod_revision: '9' };
  const stored = decodeKv(kv as unknown as Parameters<typeof decodeKv>[0]);
  if (stored === undefined) throw new Error('undecodable');
  delete stored.object.metadata.resourceVersion;
  return stored.object;
}

const object = (
  extra: Record<string, unknown>,
  meta: Record<string, unknown> = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Thing',
  metadata: { name: 'a', resourceVersion: '3', ...meta },
  ...extra,
});

// holed is [1, <hole>, 3].
function holed(): unknown[] {
  const a: unknown[] = [1, 2, 3];
  Reflect.deleteProperty(a, 1);
  return a;
}

describe('copyAsStored (a private copy equal to decoding the stored JSON)', () => {
  it('equals the decoded object, key order included, for any JSON content', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 5 }),
        fc.dictionary(
          fc.constantFrom('labels', 'uid', '7', 'resourceVersion', 'x'),
          fc.jsonValue({ maxDepth: 2 }),
          { maxKeys: 3 },
        ),
        (extra, meta) => {
          const obj = object(extra, meta);
          const copy = copyAsStored(obj);
          // JSON cannot give back -0 or a `__proto__`/`toJSON` member as they were
          if (copy === undefined) return;
          expect(JSON.stringify(copy)).to.equal(JSON.stringify(decoded(obj)));
          expect(copy).to.deep.equal(decoded(obj));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('leaves out members whose value is undefined, as JSON does', () => {
    const obj = object({ spec: { a: undefined, b: 1 } }, { uid: undefined });
    const copy = copyAsStored(obj);
    expect(copy).to.deep.equal(decoded(obj));
    expect(Object.keys(copy?.['spec'] as object)).to.deep.equal(['b']);
    expect(Object.keys(copy?.metadata ?? {})).to.deep.equal(['name']);
  });

  it('drops metadata.resourceVersion and keeps metadata where it was', () => {
    const obj = { metadata: { resourceVersion: '3', name: 'a' }, kind: 'Thing' } as KubeObject;
    expect(JSON.stringify(copyAsStored(obj))).to.equal('{"metadata":{"name":"a"},"kind":"Thing"}');
  });

  it('shares nothing with the original', () => {
    const obj = object({ spec: { list: [{ a: 1 }], map: { b: 'c' } } }, { labels: { x: 'y' } });
    const copy = copyAsStored(obj) as KubeObject & { spec: { list: { a: number }[]; map: object } };
    (obj['spec'] as { list: { a: number }[] }).list[0]!.a = 2;
    (obj.metadata.labels as Record<string, string>)['x'] = 'changed';
    expect(copy.spec.list[0]?.a).to.equal(1);
    expect(copy.metadata.labels).to.deep.equal({ x: 'y' });
  });

  const notPlain: [string, KubeObject][] = [
    ['a Date', object({ spec: { at: new Date(0) } })],
    ['undefined in an array', object({ spec: [1, undefined] })],
    ['a hole in an array', object({ spec: holed() })],
    ['NaN', object({ spec: { n: Number.NaN } })],
    ['Infinity', object({ spec: { n: Number.POSITIVE_INFINITY } })],
    ['-0', object({ spec: { n: -0 } })],
    ['a function', object({ spec: { f: () => 1 } })],
    ['a bigint', object({ spec: { n: 1n } })],
    ['a toJSON member', object({ spec: { toJSON: 'x' } })],
    ['an own __proto__ member', object({ spec: JSON.parse('{"__proto__": {"a": 1}}') as object })],
    ['a class instance', object({ spec: new Map() })],
    ['an object without prototype', object({ spec: Object.create(null) as object })],
    ['no metadata', { apiVersion: 'v1', kind: 'Thing' } as unknown as KubeObject],
    ['an array as metadata', { metadata: [] } as unknown as KubeObject],
  ];
  for (const [what, obj] of notPlain) {
    it(`gives no copy for ${what} (only decoding the bytes is exact)`, () => {
      expect(copyAsStored(obj)).to.equal(undefined);
    });
  }

  it('shares a subtree frozen all the way down, and copies one that holds something unfrozen', () => {
    const trie = deepFreeze({ 'f:spec': { 'f:a': {} } });
    const inner = { b: 1 };
    const shallow = Object.freeze({ inner });
    const obj = object({ spec: { trie, shallow } });
    const copy = copyAsStored(obj) as unknown as { spec: { trie: object; shallow: object } };
    expect(copy).to.deep.equal(decoded(obj));
    expect(copy.spec.trie).to.equal(trie);
    expect(copy.spec.shallow).to.not.equal(shallow);
    expect(copy.spec.shallow).to.deep.equal({ inner: { b: 1 } });
  });

  it('keeps a given-up object as is only when JSON gives it back unchanged', () => {
    expect(
      keptAsStored(object({ spec: { a: [1, { b: null }] } }, { resourceVersion: undefined })),
    ).to.equal(undefined);
    const plain = {
      apiVersion: 'v1',
      kind: 'Thing',
      metadata: { name: 'a' },
      spec: { a: [1, { b: null }] },
    };
    expect(keptAsStored(plain)).to.equal(plain);
    expect(keptAsStored({ ...plain, spec: { a: undefined } })).to.equal(undefined);
    expect(keptAsStored({ ...plain, spec: [-0] })).to.equal(undefined);
  });

  it('keeps a copy of root and metadata of a given-up object that still has a resourceVersion', () => {
    const obj = object({ spec: { a: [1] }, status: { s: 'x' } }, { uid: 'u' });
    const kept = keptAsStored(obj);
    expect(kept).to.deep.equal(decoded(obj));
    expect(Object.keys(kept ?? {})).to.deep.equal(Object.keys(obj));
    expect(Object.keys(kept?.metadata ?? {})).to.deep.equal(['name', 'uid']);
    expect(kept?.['spec']).to.equal(obj['spec']);
    expect(obj.metadata.resourceVersion).to.equal('3');
  });

  it('checks a frozen subtree again while something in it can still change', () => {
    const inner: Record<string, unknown> = { b: 1 };
    const shared = Object.freeze({ inner });
    const obj = { metadata: { name: 'a' }, spec: shared } as unknown as KubeObject;
    expect(keptAsStored(obj)).to.equal(obj);
    inner['b'] = undefined;
    expect(keptAsStored(obj)).to.equal(undefined);
    const deep = Object.freeze({ inner: Object.freeze({ b: 1 }) });
    const other = { metadata: { name: 'a' }, spec: deep } as unknown as KubeObject;
    expect(keptAsStored(other)).to.equal(other);
    expect(keptAsStored(other)).to.equal(other);
  });

  it('gives no copy and takes nothing as is while Object.prototype has an enumerable member', () => {
    const obj = object({ spec: { a: 1 } });
    (Object.prototype as Record<string, unknown>)['polluted'] = 1;
    try {
      expect(copyAsStored(obj)).to.equal(undefined);
      expect(keptAsStored({ metadata: { name: 'a' } } as KubeObject)).to.equal(undefined);
    } finally {
      delete (Object.prototype as Record<string, unknown>)['polluted'];
    }
    expect(copyAsStored(obj)).to.not.equal(undefined);
  });
});
