import { hash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { splitCsvLine } from './csv-line.ts';
import type { UserInfo } from './user.ts';
import { AUTHENTICATED_GROUP } from './user.ts';

/** TokenAuthenticator maps a bearer token to its user; undefined for an unknown token. */
export interface TokenAuthenticator {
  authenticateToken(token: string): UserInfo | undefined;
}

/** TokenEntry is one record of a token file: the token and the user it stands for. */
export interface TokenEntry {
  readonly token: string;
  readonly user: UserInfo;
}

// A bearer token travels in an HTTP header after a single space, so it is visible ASCII only.
const TOKEN_CHARS = /^[\x21-\x7e]+$/;

/**
 * parseTokenFile reads kube's `--token-auth-file` CSV: `token,user,uid[,"group1,group2"]`, one
 * record a line; blank lines and lines starting with `#` are skipped; extra columns are ignored as
 * kube does. Every user also gets `system:authenticated`. Throws an Error naming `source` and the
 * line number for a malformed record, an empty token or user, or a token used twice (kube only
 * warns and lets the last win; refusing is safer).
 */
export function parseTokenFile(text: string, source: string): TokenEntry[] {
  const entries: TokenEntry[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const fail = (why: string): never => {
      throw new Error(`token file ${source} line ${index + 1}: ${why}`);
    };
    let fields: string[] = [];
    try {
      fields = splitCsvLine(trimmed);
    } catch (e) {
      fail((e as Error).message);
    }
    const [token = '', name = '', uid = '', groups = ''] = fields;
    if (fields.length < 3) {
      fail(`expected at least 3 columns (token, user name, user uid), found ${fields.length}`);
    }
    if (!TOKEN_CHARS.test(token)) fail('the token is empty or has spaces or non-ASCII characters');
    if (name === '') fail('the user name is empty');
    if (seen.has(token)) fail('the token is already used by an earlier line');
    seen.add(token);
    entries.push({ token, user: userOf(name, uid, groups) });
  });
  return entries;
}

function userOf(name: string, uid: string, groupList: string): UserInfo {
  const groups = groupList
    .split(',')
    .map(g => g.trim())
    .filter(g => g !== '' && g !== AUTHENTICATED_GROUP);
  return {
    name,
    ...(uid === '' ? {} : { uid }),
    groups: [...new Set(groups), AUTHENTICATED_GROUP],
  };
}

// One-shot hashing: every authenticated request hashes its token, and crypto.hash skips the Hash
// object createHash builds (about 40% less time for a token-sized input).
const digest = (token: string): Buffer => hash('sha256', token, 'buffer');

/**
 * tokenAuthenticator checks tokens against `entries` in constant time: the presented token is
 * hashed (so lengths never differ) and compared with every entry's hash by timingSafeEqual,
 * without stopping at the first match, so timing reveals neither a prefix nor a position.
 */
export function tokenAuthenticator(entries: readonly TokenEntry[]): TokenAuthenticator {
  const table = entries.map(e => ({ digest: digest(e.token), user: e.user }));
  return {
    authenticateToken(token: string): UserInfo | undefined {
      const presented = digest(token);
      let found: UserInfo | undefined;
      for (const row of table) {
        if (timingSafeEqual(presented, row.digest)) found ??= row.user;
      }
      return found;
    },
  };
}

/** loadTokenFile reads and parses a token file (see parseTokenFile) into an authenticator. */
export function loadTokenFile(path: string): TokenAuthenticator {
  return tokenAuthenticator(parseTokenFile(readFileSync(path, 'utf8'), path));
}
