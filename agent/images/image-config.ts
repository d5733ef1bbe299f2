// The image configuration blob (OCI image config / Docker container config): the layer chain's
// uncompressed digests and the process defaults. Only the fields Corral uses are kept.
import { parseDigest, type Digest } from './digest.ts';
import { UnsupportedImageError } from './errors.ts';

/** ContainerDefaults are the image's process defaults, as the config's `config` object names them. */
export interface ContainerDefaults {
  readonly entrypoint: readonly string[] | undefined;
  readonly cmd: readonly string[] | undefined;
  readonly env: readonly string[];
  readonly workingDir: string | undefined;
  readonly user: string | undefined;
}

/** ImageConfig is the parsed config blob. */
export interface ImageConfig {
  readonly os: string | undefined;
  readonly architecture: string | undefined;
  /** diffIds are the sha256 of each layer's uncompressed tar, bottom layer first. */
  readonly diffIds: readonly Digest[];
  readonly defaults: ContainerDefaults;
}

function stringList(x: unknown, what: string): string[] | undefined {
  if (x === undefined || x === null) return undefined;
  if (!Array.isArray(x) || !x.every(s => typeof s === 'string'))
    throw new UnsupportedImageError(`image config ${what} must be a list of strings`);
  return x;
}

function optionalString(x: unknown, what: string): string | undefined {
  if (x === undefined || x === null || x === '') return undefined;
  if (typeof x !== 'string')
    throw new UnsupportedImageError(`image config ${what} must be a string`);
  return x;
}

function record(x: unknown, what: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x))
    throw new UnsupportedImageError(`image config ${what} is not an object`);
  return x as Record<string, unknown>;
}

/** parseImageConfig reads a config blob whose digest was already verified. */
export function parseImageConfig(bytes: Uint8Array): ImageConfig {
  let body: Record<string, unknown>;
  try {
    body = record(JSON.parse(Buffer.from(bytes).toString('utf8')), 'body');
  } catch (e) {
    if (e instanceof UnsupportedImageError) throw e;
    throw new UnsupportedImageError('image config is not valid JSON');
  }
  const rootfs = record(body['rootfs'], 'rootfs');
  if (rootfs['type'] !== 'layers')
    throw new UnsupportedImageError(`image config rootfs.type must be "layers"`);
  const ids = rootfs['diff_ids'];
  if (!Array.isArray(ids)) throw new UnsupportedImageError('image config has no rootfs.diff_ids');
  const c =
    body['config'] === undefined || body['config'] === null ? {} : record(body['config'], 'config');
  return {
    os: optionalString(body['os'], 'os'),
    architecture: optionalString(body['architecture'], 'architecture'),
    diffIds: ids.map((d, i) => parseDigest(d, `rootfs.diff_ids[${i}]`)),
    defaults: {
      entrypoint: stringList(c['Entrypoint'], 'Entrypoint'),
      cmd: stringList(c['Cmd'], 'Cmd'),
      env: stringList(c['Env'], 'Env') ?? [],
      workingDir: optionalString(c['WorkingDir'], 'WorkingDir'),
      user: optionalString(c['User'], 'User'),
    },
  };
}
