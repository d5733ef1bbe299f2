import { expect } from 'chai';
import { jsonPatch } from '../../../../api/patch/index.ts';
import { ApiError } from '../../../../core/errors/index.ts';

const thrown = (f: () => unknown): ApiError => {
  try {
    f();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
};

describe('jsonPatch (RFC 6902)', () => {
  // RFC 6902 Appendix A examples that succeed.
  const ok: [string, unknown, unknown, unknown][] = [
    [
      'A.1 adds an object member',
      { foo: 'bar' },
      [{ op: 'add', path: '/baz', value: 'qux' }],
      { baz: 'qux', foo: 'bar' },
    ],
    [
      'A.2 adds an array element',
      { foo: ['bar', 'baz'] },
      [{ op: 'add', path: '/foo/1', value: 'qux' }],
      { foo: ['bar', 'qux', 'baz'] },
    ],
    [
      'A.3 removes an object member',
      { baz: 'qux', foo: 'bar' },
      [{ op: 'remove', path: '/baz' }],
      { foo: 'bar' },
    ],
    [
      'A.4 removes an array element',
      { foo: ['bar', 'qux', 'baz'] },
      [{ op: 'remove', path: '/foo/1' }],
      { foo: ['bar', 'baz'] },
    ],
    [
      'A.5 replaces a value',
      { baz: 'qux', foo: 'bar' },
      [{ op: 'replace', path: '/baz', value: 'boo' }],
      { baz: 'boo', foo: 'bar' },
    ],
    [
      'A.6 moves a value',
      { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
      [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
      { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
    ],
    [
      'A.7 moves an array element',
      { foo: ['all', 'grass', 'cows', 'eat'] },
      [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
      { foo: ['all', 'cows', 'eat', 'grass'] },
    ],
    [
      'A.8 passes tests',
      { baz: 'qux', foo: ['a', 2, 'c'] },
      [
        { op: 'test', path: '/baz', value: 'qux' },
        { op: 'test', path: '/foo/1', value: 2 },
      ],
      { baz: 'qux', foo: ['a', 2, 'c'] },
    ],
    [
      'A.10 adds a nested member object',
      { foo: 'bar' },
      [{ op: 'add', path: '/child', value: { grandchild: {} } }],
      { foo: 'bar', child: { grandchild: {} } },
    ],
    [
      'A.11 ignores unrecognised members',
      { foo: 'bar' },
      [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }],
      { foo: 'bar', baz: 'qux' },
    ],
    [
      'A.14 unescapes ~01 as ~1',
      { '/': 9, '~1': 10 },
      [{ op: 'test', path: '/~01', value: 10 }],
      { '/': 9, '~1': 10 },
    ],
    [
      'A.16 appends an array value with -',
      { foo: ['bar'] },
      [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }],
      { foo: ['bar', ['abc', 'def']] },
    ],
    [
      'copies a value',
      { a: { b: 1 } },
      [{ op: 'copy', from: '/a', path: '/c' }],
      { a: { b: 1 }, c: { b: 1 } },
    ],
    [
      "applies kubectl --type=json's replace",
      { spec: { color: 'red' } },
      [{ op: 'replace', path: '/spec/color', value: 'blue' }],
      { spec: { color: 'blue' } },
    ],
  ];
  for (const [name, doc, ops, want] of ok) {
    it(name, () => {
      const before = structuredClone(doc);
      expect(jsonPatch(doc, ops)).to.deep.equal(want);
      expect(doc).to.deep.equal(before);
    });
  }

  // Patches that decode but cannot be applied: 422 with kube's fixed message.
  const unapplicable: [string, unknown, unknown, string | undefined][] = [
    ['A.9 a failing test', { baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }], '/baz'],
    [
      'A.12 adding below a missing member',
      { foo: 'bar' },
      [{ op: 'add', path: '/baz/bat', value: 'qux' }],
      '/baz/bat',
    ],
    [
      'A.15 a test comparing a string with a number',
      { '/': 9, '~1': 10 },
      [{ op: 'test', path: '/~01', value: '10' }],
      '/~01',
    ],
    ['replacing a missing member', { a: 1 }, [{ op: 'replace', path: '/b', value: 2 }], '/b'],
    ['removing a missing member', { a: 1 }, [{ op: 'remove', path: '/b' }], '/b'],
    ['an operation without its value', { a: 1 }, [{ op: 'add', path: '/b' }], '/b'],
    ['an unknown op', { a: 1 }, [{ op: 'frob', path: '/a' }], '/a'],
    ["the library's private _get op", { a: 1 }, [{ op: '_get', path: '/a', value: 1 }], '/a'],
    ['a path without a leading slash', { a: 1 }, [{ op: 'add', path: 'a', value: 1 }], 'a'],
  ];
  for (const [name, doc, ops, field] of unapplicable) {
    it(`answers 422 for ${name}`, () => {
      const e = thrown(() => jsonPatch(doc, ops));
      expect(e.code).to.equal(422);
      expect(e.reason).to.equal('Invalid');
      expect(e.message).to.equal('the server rejected our request due to an error in our request');
      expect(e.details?.causes?.[0]?.field).to.equal(field);
    });
  }

  it('leaves the document untouched when a later operation fails', () => {
    const doc = { a: 1 };
    thrown(() =>
      jsonPatch(doc, [
        { op: 'replace', path: '/a', value: 2 },
        { op: 'test', path: '/a', value: 3 },
      ]),
    );
    expect(doc).to.deep.equal({ a: 1 });
  });

  const undecodable: [string, unknown, string][] = [
    [
      'an object body',
      { op: 'add' },
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    ],
    ['a string body', 'x', 'json: cannot unmarshal string into Go value of type jsonpatch.Patch'],
    [
      'a list of strings',
      ['x'],
      'json: cannot unmarshal string into Go value of type jsonpatch.Operation',
    ],
  ];
  for (const [name, ops, message] of undecodable) {
    it(`answers 400 for ${name}`, () => {
      const e = thrown(() => jsonPatch({}, ops));
      expect(e.code).to.equal(400);
      expect(e.message).to.equal(message);
    });
  }

  it('answers 413 beyond 10000 operations', () => {
    const ops = Array.from({ length: 10_001 }, () => ({ op: 'test', path: '/a', value: 1 }));
    expect(thrown(() => jsonPatch({ a: 1 }, ops)).code).to.equal(413);
  });

  it('does not alias values from the operations into the result', () => {
    const value = { x: [1] };
    const out = jsonPatch({}, [{ op: 'add', path: '/v', value }]) as { v: { x: number[] } };
    out.v.x.push(2);
    expect(value).to.deep.equal({ x: [1] });
  });
});
