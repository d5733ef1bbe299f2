import { expect } from 'chai';
import {
  ancestors,
  isInRoleSubtree,
  isStrictSubroleOf,
  parent,
  validateRole,
} from '../../../../core/resources/index.ts';

describe('roles', () => {
  describe('RoleTest.Validate', () => {
    const valid = [
      'foo',
      '123',
      'foo_123',
      '*',
      'foo-bar',
      'foo.bar',
      'foo..bar',
      '...',
      'foo/bar',
      'foo/.bar',
      'foo/bar/baz',
      'a/b/c/d/e/f/g/h',
      'back\\slash', // Mesos does not forbid a backslash
    ];
    for (const role of valid) {
      it(`accepts ${JSON.stringify(role)}`, () => expect(validateRole(role)).to.equal(undefined));
    }

    const invalid: [string, RegExp][] = [
      ['', /empty string/],
      ['.', /cannot include '.' as a component/],
      ['..', /cannot include '..' as a component/],
      ['-foo', /starts with a dash/],
      ['/', /cannot start with a slash/],
      ['/foo', /cannot start with a slash/],
      ['foo/', /cannot end with a slash/],
      ['foo//bar', /two adjacent slashes/],
      ['foo/bar/', /cannot end with a slash/],
      ['foo bar', /backspace or whitespace/],
      ['foo\tbar', /backspace or whitespace/],
      ['foo\nbar', /backspace or whitespace/],
      ['foo\x7fbar', /backspace or whitespace/],
      ['./.', /'.'/],
      ['../..', /'..'/],
      ['./foo', /'.'/],
      ['../foo', /'..'/],
      ['foo/.', /'.'/],
      ['foo/..', /'..'/],
      ['foo/./bar', /'.'/],
      ['foo/../bar', /'..'/],
      ['foo/-bar', /starts with a dash/],
      ['foo/*', /'\*'/],
      ['foo/*/bar', /'\*'/],
      ['*/foo', /'\*'/],
    ];
    for (const [role, why] of invalid) {
      it(`rejects ${JSON.stringify(role)}`, () => expect(validateRole(role)).to.match(why));
    }
  });

  describe('RoleTest.isStrictSubroleOf', () => {
    const cases: [string, string, boolean][] = [
      ['foo/bar', 'foo', true],
      ['foo/bar/baz', 'foo', true],
      ['foo', 'foo', false],
      ['bar', 'foo', false],
      ['foobar', 'foo', false],
      ['foo', 'foo/bar', false],
    ];
    for (const [child, ancestor, want] of cases) {
      it(`${child} below ${ancestor}: ${want}`, () =>
        expect(isStrictSubroleOf(child, ancestor)).to.equal(want));
    }
  });

  it('lists ancestors nearest first and finds the parent', () => {
    expect(ancestors('a/b/c')).to.deep.equal(['a/b', 'a']);
    expect(ancestors('a')).to.deep.equal([]);
    expect(parent('a/b/c')).to.equal('a/b');
    expect(parent('a')).to.equal(undefined);
  });

  it('treats a role as in its own subtree, but not a lookalike', () => {
    expect(isInRoleSubtree('eng', 'eng')).to.equal(true);
    expect(isInRoleSubtree('eng/ml', 'eng')).to.equal(true);
    expect(isInRoleSubtree('engineering', 'eng')).to.equal(false);
  });
});
