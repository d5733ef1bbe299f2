// Path rules the volume code shares: ids that become directory names, relative paths that must
// stay inside a base directory, and the OCI mount entry.
import { lstat, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import type { VolumeMode } from '../../core/types/resources.ts';

/** VolumeError is a volume that cannot be prepared; the message says which and why. */
export class VolumeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VolumeError';
  }
}

/** missing reports whether an fs error means the path does not exist. */
export function missing(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * resolveExisting is where `path` really is or would be created: its deepest existing ancestor
 * with symlinks resolved, plus the components still missing. lstat makes a dangling symlink count
 * as existing, so it fails in realpath (VolumeError) instead of being created through.
 */
export async function resolveExisting(path: string): Promise<string> {
  let p = path;
  for (;;) {
    try {
      await lstat(p);
      break;
    } catch (e) {
      if (!missing(e) || dirname(p) === p) throw e;
      p = dirname(p);
    }
  }
  try {
    return join(await realpath(p), relative(p, path));
  } catch {
    throw new VolumeError(`Path '${path}' goes through a dangling symlink`);
  }
}

/** OciMount is one entry of OCI `mounts`. */
export interface OciMount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

const NAME_MAX = 255;

/**
 * validateId returns why an id cannot name a directory (Mesos `validateID`): empty, longer than
 * NAME_MAX, `.` or `..`, or holding a slash, backslash or control character. Undefined when fine.
 */
export function validateId(id: string): string | undefined {
  if (id === '') return 'ID must not be empty';
  if (id.length > NAME_MAX) return `ID must not be longer than ${NAME_MAX} characters`;
  if (id === '.' || id === '..') return `'${id}' is disallowed`;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[/\\\u0000-\u001f\u007f]/.test(id)) return `'${id}' contains invalid characters`;
  return undefined;
}

/**
 * joinInside joins a relative path under `base` and throws a VolumeError when the path is
 * absolute, empty, or climbs out of `base` with `..`. Lexical only: the caller decides what to do
 * about symlinks.
 */
export function joinInside(base: string, rel: string, what: string): string {
  const n = normalize(rel);
  if (rel === '' || isAbsolute(rel) || n === '.' || n === '..' || n.startsWith(`..${sep}`)) {
    throw new VolumeError(`${what} '${rel}' must be a relative path inside ${base}`);
  }
  return join(base, n);
}

/** isUnder reports whether `child` is `parent` itself or lies below it (both normalized). */
export function isUnder(child: string, parent: string): boolean {
  const p = parent.endsWith(sep) ? parent : parent + sep;
  return child === parent || child.startsWith(p);
}

/**
 * bindMount is the OCI entry for a bind mount: recursive (so mounts below the source come too),
 * private (so the container's mounts do not leak back to the host), read-only for RO.
 */
export function bindMount(source: string, destination: string, mode: VolumeMode = 'RW'): OciMount {
  return {
    destination,
    type: 'bind',
    source,
    options: ['rbind', 'rprivate', mode === 'RO' ? 'ro' : 'rw'],
  };
}
