// filepath-securejoin's semantics in Node: resolve a path as a process chrooted at `root` would,
// so symlinks (absolute or relative) and `..` can never lead outside it. For reading files of an
// image (e.g. /etc/passwd); layer extraction is stricter and follows no symlink at all.
import { readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { RootfsError } from '../errors.ts';
import { lstatOrNull } from '../extract/secure-fs.ts';

const MAX_LINKS = 255;

/**
 * secureJoin returns `root` joined with `path` after resolving every existing symlink component
 * inside `root` (absolute targets restart at `root`, `..` stops at it). The result is always
 * under `root`; its last components may not exist. A symlink loop throws RootfsError.
 */
export async function secureJoin(root: string, path: string): Promise<string> {
  let remaining = path.split('/');
  let current: string[] = [];
  let links = 0;
  while (remaining.length > 0) {
    const c = remaining.shift() ?? '';
    if (c === '' || c === '.') continue;
    if (c === '..') {
      current.pop();
      continue;
    }
    const candidate = [...current, c];
    const st = await lstatOrNull(join(root, ...candidate));
    if (st?.isSymbolicLink() !== true) {
      current = candidate;
      continue;
    }
    if (++links > MAX_LINKS)
      throw new RootfsError(`too many symlinks resolving "${path}" in ${root}`);
    const target = await readlink(join(root, ...candidate));
    if (target.startsWith('/')) current = [];
    remaining = [...target.split('/'), ...remaining];
  }
  return join(root, ...current);
}
