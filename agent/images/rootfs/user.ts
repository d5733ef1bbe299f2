// An image's `User` (`name`, `uid`, `name:group`, `uid:gid`) as the numeric ids runc needs,
// looked up in the image's own /etc/passwd and /etc/group, read through secureJoin so that an
// image whose /etc is a symlink cannot make the agent read host files.
import { readFile } from 'node:fs/promises';
import { RootfsError } from '../errors.ts';
import { secureJoin } from './secure-join.ts';

/** ProcessUser is the OCI `process.user`. */
export interface ProcessUser {
  readonly uid: number;
  readonly gid: number;
  readonly additionalGids: readonly number[];
}

const NUMERIC = /^\d+$/;

async function table(rootfs: string, file: string): Promise<string[][]> {
  try {
    const text = await readFile(await secureJoin(rootfs, file), 'utf8');
    return text
      .split('\n')
      .filter(l => l !== '' && !l.startsWith('#'))
      .map(l => l.split(':'));
  } catch (e) {
    if (e instanceof RootfsError) throw e;
    return []; // no such file: only numeric ids can be used
  }
}

/** resolveUser turns a user spec into ids; undefined or '' is root. Unknown names throw RootfsError. */
export async function resolveUser(rootfs: string, spec: string | undefined): Promise<ProcessUser> {
  if (spec === undefined || spec === '') return { uid: 0, gid: 0, additionalGids: [] };
  const [userPart = '', groupPart] = spec.split(':', 2);
  const passwd = await table(rootfs, '/etc/passwd');
  const entry = passwd.find(f => (NUMERIC.test(userPart) ? f[2] === userPart : f[0] === userPart));
  if (entry === undefined && !NUMERIC.test(userPart))
    throw new RootfsError(`user "${userPart}" is not in the image's /etc/passwd`);
  const uid = Number(entry?.[2] ?? userPart);
  const name = entry?.[0];
  const groups = await table(rootfs, '/etc/group');
  let gid = Number(entry?.[3] ?? 0);
  if (groupPart !== undefined && groupPart !== '') {
    const g = groups.find(f => (NUMERIC.test(groupPart) ? f[2] === groupPart : f[0] === groupPart));
    if (g === undefined && !NUMERIC.test(groupPart))
      throw new RootfsError(`group "${groupPart}" is not in the image's /etc/group`);
    gid = Number(g?.[2] ?? groupPart);
  }
  const additionalGids =
    name === undefined
      ? []
      : groups
          .filter(f => (f[3] ?? '').split(',').includes(name))
          .map(f => Number(f[2]))
          .filter(g => Number.isInteger(g) && g !== gid);
  return { uid, gid, additionalGids };
}
