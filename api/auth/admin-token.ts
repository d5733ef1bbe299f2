import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SECRET_MODE, writeFileAtomic } from '../tls/index.ts';
import { parseTokenFile } from './token-file.ts';
import { MASTERS_GROUP } from './user.ts';

/** TOKEN_FILE_NAME is the token file's name inside the state directory. */
export const TOKEN_FILE_NAME = 'tokens.csv';

/** ADMIN_USER is the user name of the generated superuser token. */
export const ADMIN_USER = 'admin';

/** AdminToken is the superuser's bearer token and the token file that holds it. */
export interface AdminToken {
  readonly token: string;
  readonly path: string;
}

/**
 * ensureAdminToken returns the `admin` (group `system:masters`) token from `<dir>/tokens.csv`,
 * first adding one (32 random bytes, hex) when the file or that user's line is missing. Other
 * lines are kept as they are; the file is written with mode 0600. A malformed existing file is
 * an error rather than something to overwrite.
 */
export async function ensureAdminToken(dir: string): Promise<AdminToken> {
  const path = join(dir, TOKEN_FILE_NAME);
  const text = await readIfExists(path);
  const existing = parseTokenFile(text, path).find(
    e => e.user.name === ADMIN_USER && e.user.groups.includes(MASTERS_GROUP),
  );
  if (existing !== undefined) return { token: existing.token, path };

  const token = randomBytes(32).toString('hex');
  const head = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  const preamble = text === '' ? '# token,user,uid,"group1,group2"\n' : '';
  const line = `${token},${ADMIN_USER},${ADMIN_USER},${MASTERS_GROUP}\n`;
  await writeFileAtomic(path, `${head}${preamble}${line}`, SECRET_MODE);
  return { token, path };
}

async function readIfExists(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
}
