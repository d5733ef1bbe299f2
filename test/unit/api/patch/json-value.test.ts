import { expect } from 'chai';
import fc from 'fast-check';
import { cloneJson } from '../../../../api/patch/json-value.ts';

describe('cloneJson', () => {
  it('copies any JSON value deeply: equal, sharing no container', () => {
    fc.assert(
      fc.property(fc.jsonValue(), v => {
        const copy = cloneJson(v);
        expect(copy).to.deep.equal(v);
        const containers = (x: unknown, out: Set<unknown>): Set<unknown> => {
          if (typeof x === 'object' && x !== null) {
            out.add(x);
            for (const y of Object.values(x)) containers(y, out);
          }
          return out;
        };
        const original = containers(v, new Set());
        for (const c of containers(copy, new Set())) expect(original.has(c)).to.equal(false);
      }),
    );
  });

  it('keeps a __proto__ member as data', () => {
    const v = JSON.parse('{"a":{"__proto__":{"x":1}}}') as { a: object };
    const copy = cloneJson(v);
    expect(Object.getPrototypeOf(copy.a)).to.equal(Object.prototype);
    expect(Object.getOwnPropertyNames(copy.a)).to.deep.equal(['__proto__']);
    expect(JSON.stringify(copy)).to.equal('{"a":{"__proto__":{"x":1}}}');
  });

  it('keeps undefined members and holes as structuredClone does', () => {
    const list: number[] = [1];
    list[2] = 3;
    const v = { a: undefined, list };
    const copy = cloneJson(v);
    expect(Object.keys(copy)).to.deep.equal(['a', 'list']);
    expect(1 in copy.list).to.equal(false);
    expect(copy.list.length).to.equal(3);
  });

  it('copies what is not plain data (a Date, a Map, a cycle) as structuredClone does', () => {
    const cyclic: Record<string, unknown> = { n: 1 };
    cyclic['self'] = cyclic;
    const v = { at: new Date(0), m: new Map([[1, 2]]), cyclic };
    const copy = cloneJson(v);
    expect(copy.at).to.be.instanceOf(Date).and.not.equal(v.at);
    expect(copy.at.getTime()).to.equal(0);
    expect(copy.m.get(1)).to.equal(2);
    expect(copy.cyclic['self']).to.equal(copy.cyclic);
  });
});
