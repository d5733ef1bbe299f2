import { expect } from 'chai';
import { compilePattern } from '../../../../../api/registry/schema/compiled.ts';
import { re2ToEcma } from '../../../../../api/registry/schema/re2.ts';

describe('RE2 patterns', () => {
  const rewrites: [string, string, string][] = [
    // [RE2, ECMAScript source, flags]
    ['^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', ''],
    ['^a\\-b\\_c$', '^a-b_c$', ''],
    ['[\\-\\_]', '[\\-_]', ''],
    ['(?i)^abc$', '^abc$', 'i'],
    ['\\Afoo\\z', '^foo$', ''],
    ['(?P<year>\\d{4})', '(?<year>\\d{4})', ''],
    ['^[[:alpha:]][[:digit:]_]*$', '^[A-Za-z][0-9_]*$', ''],
    ['[[:constructor:]]', '[\\[:constructor:]]', ''],
  ];
  for (const [re2, source, flags] of rewrites) {
    it(`rewrites ${re2} for ECMAScript`, () => {
      expect(re2ToEcma(re2)).to.deep.equal({ source, flags });
    });
  }

  const matches: [string, string, boolean][] = [
    ['^a\\-b$', 'a-b', true],
    ['(?i)^abc$', 'ABC', true],
    ['^[[:upper:]]+$', 'ABC', true],
    ['^[[:upper:]]+$', 'AbC', false],
    ['^\\p{L}+$', 'héllo', true],
    ['^.$', '😀', true],
  ];
  for (const [pattern, input, want] of matches) {
    it(`${want ? 'matches' : 'does not match'} ${JSON.stringify(input)} with ${pattern}`, () => {
      const re = compilePattern(pattern);
      expect(re).to.be.instanceOf(RegExp);
      expect((re as RegExp).test(input)).to.equal(want);
    });
  }

  it('returns the syntax error of a pattern that does not compile', () => {
    expect(compilePattern('a('))
      .to.be.a('string')
      .and.match(/Invalid regular expression/);
  });
});
