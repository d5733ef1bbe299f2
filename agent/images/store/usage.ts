// Disk usage of a directory tree as du counts it: allocated blocks, each inode once, so the
// hardlinks between layers/ and views/ are not counted twice.
import type { BigIntStats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

const code = (e: unknown): unknown => (e as { code?: unknown }).code;

/** diskUsage returns the bytes allocated under `root` (0 when it does not exist). */
export async function diskUsage(root: string): Promise<number> {
  const seen = new Set<string>();
  let total = 0n;
  const visit = async (path: string): Promise<void> => {
    let st: BigIntStats;
    try {
      st = await lstat(path, { bigint: true });
    } catch (e) {
      if (code(e) === 'ENOENT') return; // removed while we walked
      throw e;
    }
    const key = `${st.dev}:${st.ino}`;
    if (!seen.has(key)) {
      seen.add(key);
      total += st.blocks * 512n;
    }
    if (!st.isDirectory()) return;
    let names: string[] = [];
    try {
      names = await readdir(path);
    } catch (e) {
      if (code(e) !== 'ENOENT') throw e;
    }
    for (const n of names) await visit(join(path, n));
  };
  await visit(root);
  return Number(total);
}
