import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';

/** SECRET_MODE is the permission of private keys, token files and kubeconfigs (owner only). */
export const SECRET_MODE = 0o600;

/** PUBLIC_MODE is the permission of certificates, which anyone may read. */
export const PUBLIC_MODE = 0o644;

/**
 * writeFileAtomic replaces `path` with `content` and leaves it with `mode`. The content goes to a
 * temporary sibling first and is renamed over the target, so a crash never leaves a half-written
 * key, and the temporary file is created with `mode` so a secret is never briefly world-readable.
 * Missing parent directories are created owner-only.
 */
export async function writeFileAtomic(path: string, content: string, mode: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, content, { mode, flag: 'wx' });
  // The umask may have narrowed `mode` on creation; set it exactly.
  await chmod(tmp, mode);
  await rename(tmp, path);
}
