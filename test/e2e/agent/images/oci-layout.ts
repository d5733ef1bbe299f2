// Writes an OCI image layout (oci-layout, index.json, blobs/) that skopeo can push: the way the
// e2e tests build images without any image tool but tar-stream and zlib.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sha256 } from '../../../unit/agent/images/builders.ts';

/** LayoutImage is what to put in the layout: uncompressed layer tars and the config's `config`. */
export interface LayoutImage {
  readonly layers: readonly Buffer[];
  readonly config: Record<string, unknown>;
}

/** LayoutResult names what was written, digests included, for later assertions. */
export interface LayoutResult {
  readonly manifestDigest: string;
  readonly configDigest: string;
  readonly layerDigests: readonly string[];
  readonly diffIds: readonly string[];
}

function blob(dir: string, bytes: Buffer): string {
  const digest = sha256(bytes);
  writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), bytes);
  return digest;
}

/** writeOciLayout writes one image under `tag` into a fresh layout directory. */
export function writeOciLayout(dir: string, tag: string, image: LayoutImage): LayoutResult {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const gz = image.layers.map(t => gzipSync(t));
  const layerDigests = gz.map(b => blob(dir, b));
  const diffIds = image.layers.map(t => sha256(t));
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: image.config,
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: image.layers.map(() => ({ created_by: 'corral e2e' })),
    }),
  );
  const configDigest = blob(dir, config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: configDigest,
        size: config.length,
      },
      layers: gz.map((b, i) => ({
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: layerDigests[i],
        size: b.length,
      })),
    }),
  );
  const manifestDigest = blob(dir, manifest);
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: manifestDigest,
          size: manifest.length,
          annotations: { 'org.opencontainers.image.ref.name': tag },
        },
      ],
    }),
  );
  return { manifestDigest, configDigest, layerDigests, diffIds };
}
