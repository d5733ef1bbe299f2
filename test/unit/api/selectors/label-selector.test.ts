import { expect } from 'chai';
import { matchesLabels, parseLabelSelector } from '../../../../api/selectors/index.ts';
import type { LabelRequirement } from '../../../../api/selectors/index.ts';
import { ApiError } from '../../../../core/errors/index.ts';

describe('parseLabelSelector', () => {
  const parses: [string, string, LabelRequirement[]][] = [
    ['an empty selector as everything', '', []],
    ['whitespace as everything', '   ', []],
    ['equality', 'app=demo', [{ key: 'app', operator: 'Equals', values: ['demo'] }]],
    ['double equality', 'app==demo', [{ key: 'app', operator: 'Equals', values: ['demo'] }]],
    ['inequality', 'app!=demo', [{ key: 'app', operator: 'NotEquals', values: ['demo'] }]],
    ['an empty value', 'app=', [{ key: 'app', operator: 'Equals', values: [''] }]],
    ['in', 'env in (prod, dev)', [{ key: 'env', operator: 'In', values: ['dev', 'prod'] }]],
    ['notin', 'env notin (qa)', [{ key: 'env', operator: 'NotIn', values: ['qa'] }]],
    [
      'an empty member of a set',
      'env in (a,)',
      [{ key: 'env', operator: 'In', values: ['', 'a'] }],
    ],
    ['existence', 'tier', [{ key: 'tier', operator: 'Exists', values: [] }]],
    ['absence', '!tier', [{ key: 'tier', operator: 'DoesNotExist', values: [] }]],
    ['greater than', 'gen>3', [{ key: 'gen', operator: 'GreaterThan', values: ['3'] }]],
    ['less than', 'gen < 3', [{ key: 'gen', operator: 'LessThan', values: ['3'] }]],
    [
      'a prefixed key and an AND of terms, whitespace tolerant',
      ' corral.dev/role = web ,  ! legacy , zone in(a , b)',
      [
        { key: 'corral.dev/role', operator: 'Equals', values: ['web'] },
        { key: 'legacy', operator: 'DoesNotExist', values: [] },
        { key: 'zone', operator: 'In', values: ['a', 'b'] },
      ],
    ],
  ];
  for (const [name, s, want] of parses) {
    it(`parses ${name}`, () => {
      expect(parseLabelSelector(s).requirements).to.deep.equal(want);
    });
  }

  const rejects: [string, string, RegExp][] = [
    ['a trailing comma', 'a=b,', /found '', expected: !, identifier/],
    ['a missing key', '=b', /found '=', expected: !, identifier/],
    ['two identifiers', 'a b', /found 'b', expected: =, !=, ==, in, notin, >, </],
    ['an operator after !key', '!a=b', /found '=', expected: ',' or 'end of string'/],
    ['in without parentheses', 'a in b', /found 'b', expected: '\('/],
    ['an unclosed set', 'a in (b', /found '', expected: ',', '\)' or identifier/],
    ['an empty set', 'a in ()', /values set can't be empty/],
    ['a bad key', 'Bad Key!=x', /found 'Key', expected/],
    ['a key with an invalid name part', '-a=b', /key: Invalid value: "-a": name part must consist/],
    ['a key with an invalid prefix', 'Ex.com/a=b', /prefix part/],
    [
      'an invalid value',
      'a=-x-',
      /values\[0\]\[a\]: Invalid value: "-x-": a valid label must be an empty string/,
    ],
    ['an overlong value', `a=${'v'.repeat(64)}`, /must be no more than 63 characters/],
    ['a non-integer for >', 'a>b', /the value must be an integer/],
    ['a value after a value', 'a=b c', /found 'c', expected: ',' or 'end of string'/],
  ];
  for (const [name, s, message] of rejects) {
    it(`answers 400 for ${name}`, () => {
      try {
        parseLabelSelector(s);
        expect.fail(`parsed ${s}`);
      } catch (e) {
        expect(e).to.be.instanceOf(ApiError);
        expect((e as ApiError).code).to.equal(400);
        expect((e as ApiError).message).to.match(message);
      }
    });
  }
});

describe('matchesLabels', () => {
  const labels = { app: 'demo', env: 'prod', gen: '5' };
  const cases: [string, boolean][] = [
    ['', true],
    ['app=demo', true],
    ['app=other', false],
    ['app!=other', true],
    ['missing!=x', true],
    ['env in (prod,dev)', true],
    ['env notin (prod)', false],
    ['missing notin (prod)', true],
    ['missing in (prod)', false],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['gen>4', true],
    ['gen<5', false],
    ['app>1', false],
    ['app=demo,env=dev', false],
    ['app=demo,env=prod,!missing', true],
  ];
  for (const [s, want] of cases) {
    it(`${want ? 'matches' : 'does not match'} '${s}'`, () => {
      expect(matchesLabels(parseLabelSelector(s), labels)).to.equal(want);
    });
  }

  it('treats missing labels as an empty set', () => {
    expect(matchesLabels(parseLabelSelector('!a'), undefined)).to.equal(true);
    expect(matchesLabels(parseLabelSelector('a='), undefined)).to.equal(false);
  });
});
