// The overlay mount adapter: Node has no mount(2), so this shells out to mount/umount, and their
// failures become RootfsError here.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { promisify } from 'node:util';
import { RootfsError } from '../errors.ts';

const run = promisify(execFile);

/** OverlayMount names an overlay's layers: lowerdirs top first, as mount(8) wants them. */
export interface OverlayMount {
  readonly lower: readonly string[];
  readonly upper: string;
  readonly work: string;
  readonly target: string;
}

// overlay splits its options on `,` and lowerdir on `:`; refuse rather than escape
function checkPath(p: string): string {
  if (!isAbsolute(p) || /[,:\\\s]/.test(p))
    throw new RootfsError(`overlay path must be absolute without , : \\ or spaces: "${p}"`);
  return p;
}

const stderrOf = (e: unknown): string => {
  const stderr = (e as { stderr?: unknown }).stderr;
  if (typeof stderr === 'string' && stderr.trim() !== '') return stderr.trim();
  return e instanceof Error ? e.message : String(e);
};

/** mountOverlay mounts an overlay at `target` (which must exist). */
export async function mountOverlay(m: OverlayMount): Promise<void> {
  if (m.lower.length === 0) throw new RootfsError('overlay needs at least one lowerdir');
  const options = [
    `lowerdir=${m.lower.map(checkPath).join(':')}`,
    `upperdir=${checkPath(m.upper)}`,
    `workdir=${checkPath(m.work)}`,
  ].join(',');
  try {
    await run('mount', ['-t', 'overlay', 'overlay', '-o', options, checkPath(m.target)]);
  } catch (e) {
    throw new RootfsError(`mount overlay on ${m.target} failed: ${stderrOf(e)}`, { cause: e });
  }
}

// /proc/self/mountinfo escapes space, tab, newline and backslash as \ooo
const unescape = (s: string): string =>
  s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** isMountPoint is true when something is mounted exactly at `path`. */
export async function isMountPoint(path: string): Promise<boolean> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  return info.split('\n').some(line => unescape(line.split(' ')[4] ?? '') === path);
}

/** unmount unmounts `target` if (and as long as) something is mounted there. */
export async function unmount(target: string): Promise<void> {
  while (await isMountPoint(target)) {
    try {
      await run('umount', [target]);
    } catch (e) {
      throw new RootfsError(`umount ${target} failed: ${stderrOf(e)}`, { cause: e });
    }
  }
}
