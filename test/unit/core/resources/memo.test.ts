// The parsers the API server runs on every write remember what they parsed (memo.ts): a
// remembered result must be exactly what parsing again would give, shared results must be
// immutable, and a failure must still name the field of the call that failed.
import { expect } from 'chai';
import {
  ResourceParseError,
  parseQuantity,
  parseResourceList,
  validateRole,
} from '../../../../core/resources/index.ts';
import { TextMemo, exactJsonText } from '../../../../core/resources/memo.ts';

function parseErrorOf(fn: () => unknown): ResourceParseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ResourceParseError) return e;
    throw e;
  }
  throw new Error('expected a ResourceParseError');
}

const list = (): unknown[] => [
  { name: 'cpus', type: 'SCALAR', scalar: '2.5', allocationRole: 'web' },
  { name: 'ports', ranges: '31000-31005', reservations: [{ type: 'STATIC', role: 'web' }] },
];

// holed is [1, <hole>, 2].
function holed(): unknown[] {
  const a: unknown[] = [1, 0, 2];
  Reflect.deleteProperty(a, 1);
  return a;
}

describe('remembered parses (core/resources memo)', () => {
  it('gives one immutable Resources for equal lists, equal to a fresh parse', () => {
    const a = parseResourceList(list(), 'spec.resources');
    const b = parseResourceList(list(), 'other.field');
    expect(b).to.equal(a);
    // the same items with their keys in another order are another text: parsed afresh
    const reordered = list().map(o => Object.fromEntries(Object.entries(o as object).reverse()));
    const fresh = parseResourceList(reordered, 'spec.resources');
    expect(fresh).not.to.equal(a);
    expect(fresh.toString()).to.equal(a.toString());
    expect(fresh.equals(a)).to.equal(true);
    for (const r of a) {
      expect(Object.isFrozen(r)).to.equal(true);
      expect(Object.isFrozen(r.value)).to.equal(true);
      expect(Object.isFrozen(r.reservations)).to.equal(true);
    }
  });

  it('names the field of each failing call, even for a text that failed before', () => {
    const bad = [{ name: 'cpus', scalar: '-1' }];
    expect(parseErrorOf(() => parseResourceList(bad, 'a')).field).to.equal('a[0].scalar');
    expect(parseErrorOf(() => parseResourceList(bad, 'b')).field).to.equal('b[0].scalar');
    expect(parseErrorOf(() => parseQuantity('x', { field: 'q1', unit: 'count' })).field).to.equal(
      'q1',
    );
    expect(parseErrorOf(() => parseQuantity('x', { field: 'q2', unit: 'count' })).field).to.equal(
      'q2',
    );
  });

  it('does not take a list with an undefined member for the same list without it', () => {
    parseResourceList([{ name: 'cpus', scalar: '1' }]);
    const odd = [{ name: 'cpus', scalar: '1', bogus: undefined }];
    expect(parseErrorOf(() => parseResourceList(odd, 'x')).field).to.equal('x[0].bogus');
  });

  it('keeps units apart: the same text is a count for cpus and megabytes for mem', () => {
    expect(parseQuantity('1Gi', { field: 'f', unit: 'count' })).to.equal(1073741824000n);
    expect(parseQuantity('1Gi', { field: 'f', unit: 'megabytes' })).to.equal(1024000n);
    expect(parseQuantity('1Gi', { field: 'f', unit: 'count' })).to.equal(1073741824000n);
  });

  it('remembers role verdicts, valid or not', () => {
    expect(validateRole('a/b')).to.equal(undefined);
    expect(validateRole('a//b')).to.equal("Role 'a//b' cannot contain two adjacent slashes");
    expect(validateRole('a//b')).to.equal("Role 'a//b' cannot contain two adjacent slashes");
  });

  it('forgets everything past its capacity and stays correct', () => {
    const memo = new TextMemo<number>(3);
    let computed = 0;
    const len = (t: string): number => {
      computed += 1;
      return t.length;
    };
    for (const t of ['a', 'bb', 'ccc', 'dddd', 'a', 'bb'])
      expect(memo.get(t, len)).to.equal(t.length);
    expect(computed).to.equal(6);
    expect(memo.get('bb', len)).to.equal(2);
    expect(computed).to.equal(6);
  });

  const inexact: [string, unknown][] = [
    ['undefined member', { a: undefined }],
    ['hole', holed()],
    ['-0', [-0]],
    ['NaN', { n: Number.NaN }],
    ['a Date', { d: new Date(0) }],
    ['a bigint', [1n]],
    ['a toJSON member', { toJSON: 1 }],
  ];
  for (const [what, v] of inexact) {
    it(`has no exact JSON text for a value with ${what}`, () => {
      expect(exactJsonText(v)).to.equal(undefined);
    });
  }

  it('spells plain JSON values as JSON.stringify does', () => {
    const v = { a: [1, 'x', null, true, { b: 2.5 }], '1': 'one' };
    expect(exactJsonText(v)).to.equal(JSON.stringify(v));
  });

  it('has no exact JSON text while Object.prototype has an enumerable member', () => {
    (Object.prototype as Record<string, unknown>)['polluted'] = 1;
    try {
      expect(exactJsonText({ a: 1 })).to.equal(undefined);
    } finally {
      delete (Object.prototype as Record<string, unknown>)['polluted'];
    }
    expect(exactJsonText({ a: 1 })).to.equal('{"a":1}');
  });
});
