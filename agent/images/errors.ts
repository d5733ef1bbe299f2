// One error class per way an image operation fails, all under ImageError so a caller (the agent's
// task sync) can turn any of them into a TASK_FAILED reason with one `instanceof` and a switch on
// `reason`. Foreign errors (fetch, zlib, fs) are mapped to these where they are caught, once.

/** ImageErrorReason is the literal failure kind; each has exactly one subclass below. */
export type ImageErrorReason =
  | 'InvalidReference'
  | 'InsecureRegistry'
  | 'Registry'
  | 'DigestMismatch'
  | 'Unsupported'
  | 'UnsafeLayer'
  | 'ImageNotFound'
  | 'Rootfs';

/** ImageError is the base of every error agent/images throws on purpose. */
export abstract class ImageError extends Error {
  abstract readonly reason: ImageErrorReason;
}

/** InvalidReferenceError: the image reference text does not parse. */
export class InvalidReferenceError extends ImageError {
  override readonly name = 'InvalidReferenceError';
  readonly reason = 'InvalidReference';
  constructor(reference: string, why: string) {
    super(`invalid image reference "${reference}": ${why}`);
  }
}

/** InsecureRegistryError: plain http (or a redirect to it) towards a non-loopback host. */
export class InsecureRegistryError extends ImageError {
  override readonly name = 'InsecureRegistryError';
  readonly reason = 'InsecureRegistry';
  constructor(url: string) {
    super(`refusing plain http to ${url}: http is allowed only for loopback registries`);
  }
}

/** RegistryError: the registry answered with an error, or did not answer at all (status 0). */
export class RegistryError extends ImageError {
  override readonly name = 'RegistryError';
  readonly reason = 'Registry';
  readonly status: number;
  /** code is the registry's error code (MANIFEST_UNKNOWN, UNAUTHORIZED...) when it sent one. */
  readonly code: string | undefined;
  constructor(init: { status: number; code?: string; message: string; cause?: unknown }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
  }
}

/** DigestMismatchError: content does not hash to the digest (or size) it was announced with. */
export class DigestMismatchError extends ImageError {
  override readonly name = 'DigestMismatchError';
  readonly reason = 'DigestMismatch';
  readonly expected: string;
  readonly actual: string;
  constructor(what: string, expected: string, actual: string) {
    super(`${what}: expected ${expected}, got ${actual}`);
    this.expected = expected;
    this.actual = actual;
  }
}

/** UnsupportedImageError: a valid image we do not handle (schema1, zstd, foreign layers, platform). */
export class UnsupportedImageError extends ImageError {
  override readonly name = 'UnsupportedImageError';
  readonly reason = 'Unsupported';
}

/** UnsafeLayerError: a layer tries to escape its root or is malformed; the whole layer fails. */
export class UnsafeLayerError extends ImageError {
  override readonly name = 'UnsafeLayerError';
  readonly reason = 'UnsafeLayer';
  /** entry is the tar entry name that was refused, when one was. */
  readonly entry: string | undefined;
  constructor(message: string, entry?: string) {
    super(entry === undefined ? message : `${message} (entry "${entry}")`);
    this.entry = entry;
  }
}

/** ImageNotFoundError: the store has no image (or layer) under that digest or reference. */
export class ImageNotFoundError extends ImageError {
  override readonly name = 'ImageNotFoundError';
  readonly reason = 'ImageNotFound';
  constructor(what: string) {
    super(`image ${what} is not in the store`);
  }
}

/** RootfsError: assembling or tearing down a container rootfs (overlay mount) failed. */
export class RootfsError extends ImageError {
  override readonly name = 'RootfsError';
  readonly reason = 'Rootfs';
}
