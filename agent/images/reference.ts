// Image references as Docker writes them: `[scheme://][registry/]repo[:tag][@sha256:hex]`. The
// first path component is a registry only when it looks like a host (has a dot or a port, or is
// `localhost`), so `redis:7` and `team/app` go to the default registry.
import { isDigest, type Digest } from './digest.ts';
import { InsecureRegistryError, InvalidReferenceError } from './errors.ts';

/** ImageReference is a parsed reference; `tag` is `latest` when neither tag nor digest is given. */
export interface ImageReference {
  readonly scheme: 'https' | 'http';
  /** registry is `host[:port]` as written, `docker.io` for the Docker Hub. */
  readonly registry: string;
  /** repository is the path, `library/` added for single-name Docker Hub images. */
  readonly repository: string;
  readonly tag: string | undefined;
  readonly digest: Digest | undefined;
}

/** ReferenceOptions configures parsing; defaultRegistry may carry a scheme (`http://127.0.0.1:5000`). */
export interface ReferenceOptions {
  readonly defaultRegistry?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::[0-9]{1,5})?$/;

/** hostOf strips the port (and IPv6 brackets) from `host[:port]`. */
export function hostOf(registry: string): string {
  if (registry.startsWith('[')) return registry.slice(1, registry.indexOf(']'));
  const colon = registry.lastIndexOf(':');
  return colon < 0 ? registry : registry.slice(0, colon);
}

/** isLoopbackHost is true for localhost, 127.0.0.0/8 and ::1: the only hosts plain http may reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h);
}

function splitScheme(text: string): { scheme?: 'http' | 'https'; rest: string } {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(text);
  if (m === null) return { rest: text };
  const s = (m[1] ?? '').toLowerCase();
  if (s !== 'http' && s !== 'https')
    throw new InvalidReferenceError(text, `scheme ${s} is not http(s)`);
  return { scheme: s, rest: text.slice(m[0].length) };
}

function looksLikeHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

/** parseReference parses and normalises a reference; http towards a non-loopback host throws. */
export function parseReference(text: string, opts: ReferenceOptions = {}): ImageReference {
  const { scheme: explicit, rest } = splitScheme(text.trim());
  const at = rest.lastIndexOf('@');
  const digestText = at < 0 ? undefined : rest.slice(at + 1);
  if (digestText !== undefined && !isDigest(digestText))
    throw new InvalidReferenceError(text, 'digest must be sha256: and 64 lowercase hex digits');
  const named = at < 0 ? rest : rest.slice(0, at);
  const slash = named.indexOf('/');
  const first = slash < 0 ? '' : named.slice(0, slash);
  const hasRegistry = slash >= 0 && (explicit !== undefined || looksLikeHost(first));
  if (explicit !== undefined && !hasRegistry)
    throw new InvalidReferenceError(text, 'a scheme needs a registry host');
  const def = splitScheme(opts.defaultRegistry ?? 'docker.io');
  const registry = hasRegistry ? first : def.rest.replace(/\/+$/, '');
  let path = hasRegistry ? named.slice(slash + 1) : named;
  let tag: string | undefined;
  const colon = path.lastIndexOf(':');
  if (colon > path.lastIndexOf('/')) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
    if (!TAG.test(tag)) throw new InvalidReferenceError(text, `bad tag "${tag}"`);
  }
  if (!HOST.test(registry)) throw new InvalidReferenceError(text, `bad registry "${registry}"`);
  if (path === '' || path.length > 255 || !path.split('/').every(c => COMPONENT.test(c)))
    throw new InvalidReferenceError(text, `bad repository "${path}" (lowercase a-z0-9 . _ - /)`);
  const hub = registry === 'docker.io' || registry === 'index.docker.io';
  const repository = hub && !path.includes('/') ? `library/${path}` : path;
  const loopback = isLoopbackHost(hostOf(registry));
  // Docker's rule: loopback registries may be plain http without being told; anything else is https
  const scheme = (hasRegistry ? explicit : def.scheme) ?? (loopback ? 'http' : 'https');
  if (scheme === 'http' && !loopback) throw new InsecureRegistryError(`http://${registry}`);
  return {
    scheme,
    registry: hub ? 'docker.io' : registry,
    repository,
    tag: tag ?? (digestText === undefined ? 'latest' : undefined),
    digest: digestText,
  };
}

/** repositoryName is `registry/repository`, the key under which tags and digests live. */
export function repositoryName(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}`;
}

/** formatReference renders the canonical text (no scheme): `registry/repo[:tag][@digest]`. */
export function formatReference(ref: ImageReference): string {
  const tag = ref.tag === undefined ? '' : `:${ref.tag}`;
  const digest = ref.digest === undefined ? '' : `@${ref.digest}`;
  return `${repositoryName(ref)}${tag}${digest}`;
}
