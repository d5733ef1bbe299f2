// Translation of the RE2 syntax CRD authors use (kube compiles `pattern` with Go's regexp) into
// an ECMAScript pattern for a `u`-flag RegExp. Only syntax with a direct equivalent is rewritten;
// the rest is left for the RegExp constructor to accept or reject.

// Punctuation RE2 lets you escape but ECMAScript's `u` mode does not (it only admits escaped
// syntax characters and `/`); escaped, they mean themselves.
const PLAIN_PUNCTUATION = new Set('!"#%&\',:;<=>@_`~'.split(''));

const POSIX_CLASSES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    alnum: 'A-Za-z0-9',
    alpha: 'A-Za-z',
    ascii: '\\x00-\\x7F',
    blank: ' \\t',
    cntrl: '\\x00-\\x1F\\x7F',
    digit: '0-9',
    lower: 'a-z',
    space: '\\t\\n\\v\\f\\r ',
    upper: 'A-Z',
    word: 'A-Za-z0-9_',
    xdigit: '0-9A-Fa-f',
  }),
);

/** Ecma is a pattern rewritten for ECMAScript and the flags its RE2 prefix asked for. */
export interface Ecma {
  readonly source: string;
  readonly flags: string;
}

// leadingFlags turns RE2's leading `(?ims)` into RegExp flags.
function leadingFlags(pattern: string): { rest: string; flags: string } {
  const m = /^\(\?([ims]+)\)/.exec(pattern);
  return m === null
    ? { rest: pattern, flags: '' }
    : { rest: pattern.slice(m[0].length), flags: m[1] ?? '' };
}

/** re2ToEcma rewrites an RE2 pattern: flags, `\A`, `\z`, `(?P<name>`, POSIX classes, escapes. */
export function re2ToEcma(pattern: string): Ecma {
  const { rest, flags } = leadingFlags(pattern);
  let out = '';
  let inClass = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i] ?? '';
    const next = rest[i + 1] ?? '';
    if (c === '\\') {
      i++;
      if (PLAIN_PUNCTUATION.has(next) || (next === '-' && !inClass)) out += next;
      else if (next === 'A' && !inClass) out += '^';
      else if (next === 'z' && !inClass) out += '$';
      else out += `\\${next}`;
    } else if (inClass && c === '[' && next === ':') {
      const end = rest.indexOf(':]', i + 2);
      const cls = end < 0 ? undefined : POSIX_CLASSES.get(rest.slice(i + 2, end));
      if (cls === undefined) out += '\\[';
      else {
        out += cls;
        i = end + 1;
      }
    } else if (!inClass && rest.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
    } else {
      if (c === '[' && !inClass) inClass = true;
      else if (c === ']' && inClass) inClass = false;
      out += c;
    }
  }
  return { source: out, flags };
}
