// Media types of the Docker Registry HTTP API V2 and the OCI image spec that a pull meets.
import { UnsupportedImageError } from '../errors.ts';

/** MEDIA is every media type this package names. */
export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  ociLayerTar: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerLayerTar: 'application/vnd.docker.image.rootfs.diff.tar',
} as const;

/**
 * MANIFEST_ACCEPT is sent on every manifest GET. registry 2.8.2 answers 404 for an OCI manifest
 * or index it was not told it may send, and silently downgrades v2s2 to schema1 when the Docker
 * type is missing (containers-here §3.3), so all four must always be listed.
 */
export const MANIFEST_ACCEPT = [
  MEDIA.ociIndex,
  MEDIA.ociManifest,
  MEDIA.dockerList,
  MEDIA.dockerManifest,
].join(', ');

/** ManifestKind is how a manifest body is read: a list of platforms, or one image. */
export type ManifestKind = 'index' | 'manifest';

/** manifestKind maps a manifest media type; schema1 and anything unknown are refused. */
export function manifestKind(mediaType: string): ManifestKind {
  switch (mediaType) {
    case MEDIA.ociIndex:
    case MEDIA.dockerList:
      return 'index';
    case MEDIA.ociManifest:
    case MEDIA.dockerManifest:
      return 'manifest';
    default:
      if (mediaType.startsWith('application/vnd.docker.distribution.manifest.v1'))
        throw new UnsupportedImageError(
          `Docker schema1 manifests (${mediaType}) are not supported; push the image as v2s2 or OCI`,
        );
      throw new UnsupportedImageError(`unsupported manifest media type "${mediaType}"`);
  }
}

/** Compression is how a layer blob is encoded on the wire. */
export type Compression = 'gzip' | 'none';

/** layerCompression maps a layer media type; zstd and foreign/non-distributable layers are refused. */
export function layerCompression(mediaType: string): Compression {
  switch (mediaType) {
    case MEDIA.ociLayerGzip:
    case MEDIA.dockerLayerGzip:
      return 'gzip';
    case MEDIA.ociLayerTar:
    case MEDIA.dockerLayerTar:
      return 'none';
    case MEDIA.ociLayerZstd:
      throw new UnsupportedImageError(
        'zstd-compressed layers are not supported; push the image with gzip layers',
      );
    default:
      throw new UnsupportedImageError(`unsupported layer media type "${mediaType}"`);
  }
}
