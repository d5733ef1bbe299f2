// Tar entry names and what they mean in an image layer. Names are refused, never clamped: a
// layer written by a real tool has neither absolute names nor `..`, so one that does is hostile.
import { UnsafeLayerError } from '../errors.ts';

const WH = '.wh.';
const OPAQUE = '.wh..wh..opq';
const META = '.wh..wh.';

/**
 * normalizeEntryName turns a tar name into a root-relative path (`''` for the root itself):
 * `./` prefixes, doubled and trailing slashes go; absolute names and `..` components throw.
 */
export function normalizeEntryName(name: string): string {
  if (name.startsWith('/')) throw new UnsafeLayerError('absolute path in layer', name);
  if (name.includes('\0')) throw new UnsafeLayerError('NUL in entry name', name);
  const parts: string[] = [];
  for (const c of name.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') throw new UnsafeLayerError('".." in layer path', name);
    parts.push(c);
  }
  return parts.join('/');
}

/** EntryMeaning is what an entry does to the layer: change a path, hide one, or hide a dir's past. */
export type EntryMeaning =
  | { readonly kind: 'plain' }
  | { readonly kind: 'whiteout'; readonly target: string }
  | { readonly kind: 'opaque'; readonly dir: string }
  | { readonly kind: 'aufs-meta' };

/** classifyEntry reads the whiteout conventions of the OCI layer spec from a normalised path. */
export function classifyEntry(path: string): EntryMeaning {
  const slash = path.lastIndexOf('/');
  const dir = slash < 0 ? '' : path.slice(0, slash);
  const base = path.slice(slash + 1);
  if (!base.startsWith(WH)) return { kind: 'plain' };
  if (base === OPAQUE) return { kind: 'opaque', dir };
  // aufs bookkeeping (.wh..wh.plnk, .wh..wh.aufs): Docker ignores it, so do we
  if (base.startsWith(META)) return { kind: 'aufs-meta' };
  const name = base.slice(WH.length);
  if (name === '' || name === '.' || name === '..')
    throw new UnsafeLayerError('whiteout of an invalid name', path);
  return { kind: 'whiteout', target: dir === '' ? name : `${dir}/${name}` };
}

/** parentOf is the parent of a root-relative path (`''` for top-level names). */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** ancestorsOf lists a path's ancestors, outermost first, excluding the root and the path. */
export function ancestorsOf(path: string): string[] {
  const parts = path.split('/');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join('/'));
  return out;
}
