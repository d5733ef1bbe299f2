// Test builders: tar layers made with tar-stream, and whole images (blobs, config, manifests)
// described as plain objects, so each test states only what it is about.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import type { Digest } from '../../../../agent/images/digest.ts';
import { registerFixture } from '../../../helpers/fixtures.ts';

/** TarEntry is one entry of a test layer; `body` makes a file unless `type` says otherwise. */
export interface TarEntry {
  name: string;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'character-device' | 'fifo';
  linkname?: string;
  body?: string | Buffer;
  mode?: number;
  uid?: number;
  gid?: number;
}

/** buildTar packs entries in order, exactly as given (hostile names included). */
export async function buildTar(entries: readonly TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) {
    const type = e.type ?? 'file';
    const mode = e.mode ?? (type === 'directory' ? 0o755 : 0o644);
    const header = {
      name: e.name,
      type,
      mode,
      uid: e.uid ?? 0,
      gid: e.gid ?? 0,
      mtime: new Date(1_700_000_000_000),
      ...(e.linkname === undefined ? {} : { linkname: e.linkname }),
    };
    if (type === 'file') pack.entry(header, e.body ?? '');
    else pack.entry(header);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** sha256 is a digest of bytes, in the `sha256:` form. */
export function sha256(bytes: Buffer | string): Digest {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** BuiltLayer is a layer as a registry serves it. */
export interface BuiltLayer {
  tar: Buffer;
  blob: Buffer;
  digest: Digest;
  diffId: Digest;
  mediaType: string;
}

/** gzipLayer compresses a tar into an OCI gzip layer. */
export function gzipLayer(
  tarBytes: Buffer,
  mediaType = 'application/vnd.oci.image.layer.v1.tar+gzip',
): BuiltLayer {
  const blob = gzipSync(tarBytes);
  return { tar: tarBytes, blob, digest: sha256(blob), diffId: sha256(tarBytes), mediaType };
}

/** BuiltImage is a manifest with its config and layers, ready to serve. */
export interface BuiltImage {
  manifest: Buffer;
  manifestType: string;
  digest: Digest;
  config: Buffer;
  configDigest: Digest;
  layers: BuiltLayer[];
}

/** ImageSpec describes a test image. */
export interface ImageSpec {
  layers: BuiltLayer[];
  format?: 'oci' | 'docker';
  config?: Record<string, unknown>;
  architecture?: string;
  /** diffIds overrides the config's rootfs.diff_ids (to test a lying config). */
  diffIds?: string[];
}

/** buildImage writes the config and manifest JSON for layers. */
export function buildImage(spec: ImageSpec): BuiltImage {
  const oci = (spec.format ?? 'oci') === 'oci';
  const config = Buffer.from(
    JSON.stringify({
      architecture: spec.architecture ?? 'amd64',
      os: 'linux',
      config: spec.config ?? { Cmd: ['/bin/sh'] },
      rootfs: { type: 'layers', diff_ids: spec.diffIds ?? spec.layers.map(l => l.diffId) },
    }),
  );
  const manifestType = oci
    ? 'application/vnd.oci.image.manifest.v1+json'
    : 'application/vnd.docker.distribution.manifest.v2+json';
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: manifestType,
      config: {
        mediaType: oci
          ? 'application/vnd.oci.image.config.v1+json'
          : 'application/vnd.docker.container.image.v1+json',
        digest: sha256(config),
        size: config.length,
      },
      layers: spec.layers.map(l => ({
        mediaType: l.mediaType,
        digest: l.digest,
        size: l.blob.length,
      })),
    }),
  );
  return {
    manifest,
    manifestType,
    digest: sha256(manifest),
    config,
    configDigest: sha256(config),
    layers: spec.layers,
  };
}

/** buildIndex writes an OCI index over images, each with a platform. */
export function buildIndex(
  entries: readonly { image: BuiltImage; os: string; architecture: string; variant?: string }[],
): { bytes: Buffer; digest: Digest } {
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: entries.map(e => ({
        mediaType: e.image.manifestType,
        digest: e.image.digest,
        size: e.image.manifest.length,
        platform: {
          os: e.os,
          architecture: e.architecture,
          ...(e.variant ? { variant: e.variant } : {}),
        },
      })),
    }),
  );
  return { bytes, digest: sha256(bytes) };
}

/** tempDir makes a temp directory that the test runner removes when the run ends. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `corral-img-${prefix}-`));
  registerFixture(() => Promise.resolve(rmSync(dir, { recursive: true, force: true })));
  return dir;
}
