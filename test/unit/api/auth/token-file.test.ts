import { expect } from 'chai';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ensureAdminToken,
  loadTokenFile,
  parseTokenFile,
  tokenAuthenticator,
} from '../../../../api/auth/index.ts';

describe('token file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'corral-tokens-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads kube token-auth-file records with quoted group lists, comments and blank lines', () => {
    const text = [
      '# token,user,uid,"groups"',
      '',
      't1,alice,u-1,"devs,ops"',
      '  t2 , bob , , ',
      't3,carol,u-3',
      '"t4",dave,u-4,"a ""quoted"" group",ignored-extra',
      't5,erin,u-5,system:authenticated\r',
    ].join('\n');
    const entries = parseTokenFile(text, 'tokens.csv');
    expect(entries).to.deep.equal([
      {
        token: 't1',
        user: { name: 'alice', uid: 'u-1', groups: ['devs', 'ops', 'system:authenticated'] },
      },
      { token: 't2', user: { name: 'bob', groups: ['system:authenticated'] } },
      { token: 't3', user: { name: 'carol', uid: 'u-3', groups: ['system:authenticated'] } },
      {
        token: 't4',
        user: { name: 'dave', uid: 'u-4', groups: ['a "quoted" group', 'system:authenticated'] },
      },
      { token: 't5', user: { name: 'erin', uid: 'u-5', groups: ['system:authenticated'] } },
    ]);
  });

  const bad: [string, string, RegExp][] = [
    ['too few columns', 'ok,a,1\nt2,bob', /tokens\.csv line 2: expected at least 3 columns/],
    ['an empty token', '\n,bob,1', /line 2: the token is empty/],
    ['a token with a space', 'a b,bob,1', /line 1: the token is empty or has spaces/],
    ['an empty user name', 't,,1', /line 1: the user name is empty/],
    ['an unterminated quote', 't,bob,1,"g1,g2', /line 1: a quoted field is not closed/],
    ['a stray quote', 't,b"ob,1', /line 1: a quote inside an unquoted field/],
    ['text after a closing quote', 't,"bob"x,1', /line 1: unexpected "x" after a quoted field/],
    ['a duplicated token', '# c\nt,a,1\nt,b,2', /line 3: the token is already used/],
  ];
  for (const [what, text, message] of bad) {
    it(`rejects ${what} with the line number`, () => {
      expect(() => parseTokenFile(text, 'tokens.csv')).to.throw(message);
    });
  }

  it('matches only the exact token and returns its user', () => {
    const auth = tokenAuthenticator(parseTokenFile('secret,alice,1\nother,bob,2', 'f'));
    expect(auth.authenticateToken('secret')?.name).to.equal('alice');
    expect(auth.authenticateToken('other')?.name).to.equal('bob');
    expect(auth.authenticateToken('secre')).to.equal(undefined);
    expect(auth.authenticateToken('secret2')).to.equal(undefined);
    expect(auth.authenticateToken('')).to.equal(undefined);
  });

  it('loads a token file from disk and names the path in errors', async () => {
    const path = join(dir, 'tokens.csv');
    await writeFile(path, 'tok,alice,1,"g"\n');
    expect(loadTokenFile(path).authenticateToken('tok')?.groups).to.deep.equal([
      'g',
      'system:authenticated',
    ]);
    await writeFile(path, 'tok\n');
    expect(() => loadTokenFile(path)).to.throw(`token file ${path} line 1`);
  });

  it('creates an admin token file with mode 0600 and returns the same token afterwards', async () => {
    const first = await ensureAdminToken(dir);
    expect(first.token).to.match(/^[0-9a-f]{64}$/);
    expect(first.path).to.equal(join(dir, 'tokens.csv'));
    expect((await stat(first.path)).mode & 0o777).to.equal(0o600);
    const user = loadTokenFile(first.path).authenticateToken(first.token);
    expect(user).to.deep.equal({
      name: 'admin',
      uid: 'admin',
      groups: ['system:masters', 'system:authenticated'],
    });
    expect(await ensureAdminToken(dir)).to.deep.equal(first);
  });

  it('adds an admin line to an existing token file and keeps the other users', async () => {
    const path = join(dir, 'tokens.csv');
    await writeFile(path, 'bobtoken,bob,2');
    const { token } = await ensureAdminToken(dir);
    const auth = loadTokenFile(path);
    expect(auth.authenticateToken('bobtoken')?.name).to.equal('bob');
    expect(auth.authenticateToken(token)?.name).to.equal('admin');
    expect(await readFile(path, 'utf8')).to.match(/^bobtoken,bob,2\n[0-9a-f]{64},admin,/);
  });

  it('refuses to touch a malformed existing token file', async () => {
    await writeFile(join(dir, 'tokens.csv'), 'garbage\n');
    let error: unknown;
    try {
      await ensureAdminToken(dir);
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.match(/line 1: expected at least 3 columns/);
  });
});
