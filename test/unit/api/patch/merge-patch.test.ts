import { expect } from 'chai';
import fc from 'fast-check';
import { mergePatch } from '../../../../api/patch/index.ts';

const deepFreeze = <T>(v: T): T => {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
};

describe('mergePatch (RFC 7386)', () => {
  // RFC 7386 Appendix A, row by row.
  const appendixA: [string, unknown, unknown, unknown][] = [
    ['replaces a member', { a: 'b' }, { a: 'c' }, { a: 'c' }],
    ['adds a member', { a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    ['deletes a member with null', { a: 'b' }, { a: null }, {}],
    ['deletes only the nulled member', { a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    ['replaces an array with a string', { a: ['b'] }, { a: 'c' }, { a: 'c' }],
    ['replaces a string with an array', { a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    ['recurses into objects', { a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    ['replaces arrays whole', { a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    ['replaces an array target', ['a', 'b'], ['c', 'd'], ['c', 'd']],
    ['replaces an object with an array patch', { a: 'b' }, ['c'], ['c']],
    ['replaces with a null patch', { a: 'foo' }, null, null],
    ['replaces with a string patch', { a: 'foo' }, 'bar', 'bar'],
    ['keeps existing nulls in the target', { e: null }, { a: 1 }, { e: null, a: 1 }],
    ['turns a non-object target into an object', [1, 2], { a: 'b', c: null }, { a: 'b' }],
    ['drops nulls inside new objects', {}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [name, target, patch, want] of appendixA) {
    it(`Appendix A: ${name}`, () => {
      expect(mergePatch(target, patch)).to.deep.equal(want);
    });
  }

  it('applies the example of RFC 7386 section 3', () => {
    const target = {
      title: 'Goodbye!',
      author: { givenName: 'John', familyName: 'Doe' },
      tags: ['example', 'sample'],
      content: 'This will be unchanged',
    };
    const patch = {
      title: 'Hello!',
      phoneNumber: '+01-123-456-7890',
      author: { familyName: null },
      tags: ['example'],
    };
    expect(mergePatch(target, patch)).to.deep.equal({
      title: 'Hello!',
      author: { givenName: 'John' },
      tags: ['example'],
      content: 'This will be unchanged',
      phoneNumber: '+01-123-456-7890',
    });
  });

  it("applies kubectl's client-side apply patch (size changed, color removed)", () => {
    const live = {
      metadata: { name: 'w1', labels: { app: 'demo' } },
      spec: { color: 'red', size: 3 },
    };
    const out = mergePatch(live, { spec: { color: null, size: 5 } });
    expect(out).to.deep.equal({
      metadata: { name: 'w1', labels: { app: 'demo' } },
      spec: { size: 5 },
    });
  });

  it('mutates neither input and shares no container with the patch', () => {
    const target = deepFreeze({ a: { b: 1 }, c: [1] });
    const patch = deepFreeze({ a: { d: { e: 2 } }, c: null, f: [3] });
    const out = mergePatch(target, patch) as { a: { d: { e: number } }; f: number[] };
    expect(out).to.deep.equal({ a: { b: 1, d: { e: 2 } }, f: [3] });
    out.a.d.e = 9;
    out.f.push(4);
    expect(patch).to.deep.equal({ a: { d: { e: 2 } }, c: null, f: [3] });
  });

  it('keeps a __proto__ member as data', () => {
    const patch = JSON.parse('{"__proto__":{"x":1}}') as unknown;
    const out = mergePatch({}, patch) as Record<string, unknown>;
    expect(Object.keys(out)).to.deep.equal(['__proto__']);
    expect(Object.getPrototypeOf(out)).to.equal(Object.prototype);
  });

  it('property: an empty patch leaves any object unchanged', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), x => {
        expect(mergePatch(x, {})).to.deep.equal(x);
      }),
    );
  });

  it('property: applying the same patch twice is the same as once', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (x, p) => {
        const once = mergePatch(x, p);
        expect(mergePatch(once, p)).to.deep.equal(once);
      }),
    );
  });
});
