// Reading a task URI (Mesos CommandInfo.URI.value): where to get it and what file it makes.
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FetchError } from './errors.ts';

/** FetchSource is a parsed URI: a local file or an HTTP(S) URL, and its default file name. */
export type FetchSource =
  | { readonly kind: 'file'; readonly path: string; readonly name: string }
  | { readonly kind: 'http'; readonly url: URL; readonly name: string };

/** SUPPORTED_SCHEMES lists the schemes the fetcher downloads. */
export const SUPPORTED_SCHEMES = ['file', 'http', 'https'] as const;

/**
 * parseSource reads a URI: an absolute path or `file://` URL is a local file; `http://` and
 * `https://` are downloaded; every other scheme (ftp, hdfs, s3...) and relative paths (Mesos
 * resolves those against `--frameworks_home`, which Corral does not have) throw FetchError. The
 * name is the last path segment, percent-decoded; it may be empty (then an outputFile is needed).
 */
export function parseSource(value: string): FetchSource {
  if (value.startsWith('/')) return { kind: 'file', path: value, name: basename(value) };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new FetchError(
      'INVALID_URI',
      value,
      'not an absolute path or URL (relative paths are not supported)',
    );
  }
  switch (url.protocol) {
    case 'file:': {
      let path: string;
      try {
        path = fileURLToPath(url);
      } catch (e) {
        throw new FetchError('INVALID_URI', value, (e as Error).message);
      }
      return { kind: 'file', path, name: basename(path) };
    }
    case 'http:':
    case 'https:': {
      const last = url.pathname.split('/').at(-1) ?? '';
      let name: string;
      try {
        name = decodeURIComponent(last);
      } catch {
        name = last;
      }
      return { kind: 'http', url, name };
    }
    default:
      throw new FetchError(
        'UNSUPPORTED_SCHEME',
        value,
        `scheme '${url.protocol.slice(0, -1)}' is not supported (use ${SUPPORTED_SCHEMES.join(', ')})`,
      );
  }
}

/**
 * ArchiveKind is how a file is extracted: a tar, a gzipped tar, a single gzipped file, a format
 * Mesos knows but Corral does not extract (bzip2, xz, zip), or not an archive.
 */
export type ArchiveKind = 'tar' | 'tar.gz' | 'gz' | 'unsupported' | 'none';

/** archiveKind tells an archive by its name, as Mesos does (case-insensitive suffixes). */
export function archiveKind(name: string): ArchiveKind {
  const n = name.toLowerCase();
  if (n.endsWith('.tar')) return 'tar';
  if (n.endsWith('.tar.gz') || n.endsWith('.tgz')) return 'tar.gz';
  if (['.tar.bz2', '.tbz2', '.tar.xz', '.txz', '.zip'].some(s => n.endsWith(s)))
    return 'unsupported';
  if (n.endsWith('.gz')) return 'gz';
  return 'none';
}
