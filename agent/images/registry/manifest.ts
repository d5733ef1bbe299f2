// Manifest, index and config bodies, checked field by field: everything later trusts these types,
// so a registry's JSON is never used before it passes through here.
import { parseDigest, type Digest } from '../digest.ts';
import { UnsupportedImageError } from '../errors.ts';
import { MEDIA, manifestKind } from './media-types.ts';

/** Platform is an index entry's target, as in the OCI image index. */
export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

/** Descriptor points at a blob or manifest by digest and size. */
export interface Descriptor {
  readonly mediaType: string;
  readonly digest: Digest;
  readonly size: number;
  readonly platform?: Platform;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** ImageIndex is an OCI index or a Docker manifest list. */
export interface ImageIndex {
  readonly kind: 'index';
  readonly mediaType: string;
  readonly manifests: readonly Descriptor[];
}

/** ImageManifest is an OCI manifest or a Docker schema2 manifest. */
export interface ImageManifest {
  readonly kind: 'manifest';
  readonly mediaType: string;
  readonly config: Descriptor;
  readonly layers: readonly Descriptor[];
}

/** Manifest is what a manifest GET returns once parsed. */
export type Manifest = ImageIndex | ImageManifest;

type Json = Record<string, unknown>;

function object(x: unknown, what: string): Json {
  if (typeof x !== 'object' || x === null || Array.isArray(x))
    throw new UnsupportedImageError(`${what} is not a JSON object`);
  return x as Json;
}

function json(bytes: Uint8Array, what: string): Json {
  try {
    return object(JSON.parse(Buffer.from(bytes).toString('utf8')), what);
  } catch (e) {
    if (e instanceof UnsupportedImageError) throw e;
    throw new UnsupportedImageError(`${what} is not valid JSON`);
  }
}

function strings(x: unknown, what: string): Record<string, string> | undefined {
  if (x === undefined || x === null) return undefined;
  const o = object(x, what);
  if (!Object.values(o).every(v => typeof v === 'string'))
    throw new UnsupportedImageError(`${what} must map strings to strings`);
  return o as Record<string, string>;
}

function platform(x: unknown): Platform | undefined {
  if (x === undefined || x === null) return undefined;
  const p = object(x, 'platform');
  const os = p['os'];
  const architecture = p['architecture'];
  const variant = p['variant'];
  if (typeof os !== 'string' || typeof architecture !== 'string')
    throw new UnsupportedImageError('platform needs os and architecture');
  return typeof variant === 'string' ? { os, architecture, variant } : { os, architecture };
}

function descriptor(x: unknown, what: string): Descriptor {
  const d = object(x, what);
  const mediaType = d['mediaType'];
  const size = d['size'];
  if (typeof mediaType !== 'string') throw new UnsupportedImageError(`${what} has no mediaType`);
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
    throw new UnsupportedImageError(`${what} has a bad size`);
  const p = platform(d['platform']);
  const a = strings(d['annotations'], `${what} annotations`);
  return {
    mediaType,
    digest: parseDigest(d['digest'], `${what} digest`),
    size,
    ...(p === undefined ? {} : { platform: p }),
    ...(a === undefined ? {} : { annotations: a }),
  };
}

function array(x: unknown, what: string): unknown[] {
  if (!Array.isArray(x)) throw new UnsupportedImageError(`${what} is not an array`);
  return x;
}

const GENERIC = new Set(['', 'application/json', 'text/plain', 'application/octet-stream']);

// umoci writes OCI manifests without `mediaType` (containers-here §3.2), so the Content-Type wins;
// only when it is generic do the body's own field and then its shape decide.
function effectiveType(contentType: string, body: Json): string {
  const header = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  const own = typeof body['mediaType'] === 'string' ? body['mediaType'] : undefined;
  if (!GENERIC.has(header)) {
    if (own !== undefined && own !== header)
      throw new UnsupportedImageError(`manifest says ${own} but was served as ${header}`);
    return header;
  }
  if (own !== undefined) return own;
  if (body['schemaVersion'] === 1) return 'application/vnd.docker.distribution.manifest.v1+json';
  return Array.isArray(body['manifests']) ? MEDIA.ociIndex : MEDIA.ociManifest;
}

/** parseManifest reads a manifest body (the exact bytes already verified) by its Content-Type. */
export function parseManifest(bytes: Uint8Array, contentType: string): Manifest {
  const body = json(bytes, 'manifest');
  const mediaType = effectiveType(contentType, body);
  const kind = manifestKind(mediaType);
  if (body['schemaVersion'] !== 2)
    throw new UnsupportedImageError(`manifest schemaVersion ${String(body['schemaVersion'])}`);
  switch (kind) {
    case 'index':
      return {
        kind,
        mediaType,
        manifests: array(body['manifests'], 'manifests').map((m, i) =>
          descriptor(m, `manifests[${i}]`),
        ),
      };
    case 'manifest':
      return {
        kind,
        mediaType,
        config: descriptor(body['config'], 'config'),
        layers: array(body['layers'], 'layers').map((l, i) => descriptor(l, `layers[${i}]`)),
      };
  }
}
