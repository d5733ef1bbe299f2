// agent/images: pull images from a Docker Registry HTTP API V2, verify every digest, unpack layers
// safely into a shared store, assemble container rootfs overlays, and collect unused images.
export { openImageStore } from './image-store.ts';
export type { AcquiredImage, ImageStore, ImageStoreOptions } from './image-store.ts';
export type { PreparedRootfs } from './rootfs/prepare.ts';
export type { LeasedView } from './rootfs/view.ts';
export type { ImageRecord, LayerRecord } from './store/records.ts';
export type { GcOptions, GcReport } from './store/gc.ts';
export { runImageGcLoop, needsGc, fsSpace, checkGcConfig } from './store/gc-loop.ts';
export type { ImageGcConfig, GcLoopOptions, FsSpace, GcTrigger } from './store/gc-loop.ts';
export type { ImageLogger } from './store/context.ts';
export { parseReference, formatReference, isLoopbackHost } from './reference.ts';
export type { ImageReference, ReferenceOptions } from './reference.ts';
export { isDigest } from './digest.ts';
export type { Digest } from './digest.ts';
export { createRegistryClient } from './registry/registry-client.ts';
export type { RegistryClient, RegistryClientOptions } from './registry/registry-client.ts';
export type { Credentials } from './registry/auth.ts';
export type { Platform } from './registry/manifest.ts';
export { currentPlatform } from './registry/platform.ts';
export type { ImageConfig, ContainerDefaults } from './image-config.ts';
export { imageProcess, DEFAULT_PATH } from './process-defaults.ts';
export type { ProcessDefaults } from './process-defaults.ts';
export { resolveUser } from './rootfs/user.ts';
export type { ProcessUser } from './rootfs/user.ts';
export { secureJoin } from './rootfs/secure-join.ts';
export { extractLayer } from './extract/extract-layer.ts';
export {
  ImageError,
  InvalidReferenceError,
  InsecureRegistryError,
  RegistryError,
  DigestMismatchError,
  UnsupportedImageError,
  UnsafeLayerError,
  ImageNotFoundError,
  RootfsError,
} from './errors.ts';
export type { ImageErrorReason } from './errors.ts';
