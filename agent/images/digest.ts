// Content digests. Only sha256 is accepted: it is what every registry and image tool writes, and
// a digest we cannot verify is worse than a clear refusal.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { DigestMismatchError, UnsupportedImageError } from './errors.ts';

/** Digest is a verified-format content address, `sha256:` and 64 lowercase hex digits. */
export type Digest = `sha256:${string}`;

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const ANY_DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** isDigest is true for a well-formed sha256 digest. */
export function isDigest(text: string): text is Digest {
  return DIGEST.test(text);
}

/** parseDigest checks a digest taken from a manifest or header; `what` names it in errors. */
export function parseDigest(text: unknown, what: string): Digest {
  if (typeof text === 'string' && isDigest(text)) return text;
  if (typeof text === 'string' && !text.startsWith('sha256:') && ANY_DIGEST.test(text))
    throw new UnsupportedImageError(`${what}: only sha256 digests are supported, got "${text}"`);
  throw new UnsupportedImageError(`${what}: malformed digest ${JSON.stringify(text)}`);
}

/** digestHex is the 64 hex digits of a digest, used as a file name in the store. */
export function digestHex(d: Digest): string {
  return d.slice('sha256:'.length);
}

/** sha256Of hashes bytes held in memory (manifests, configs). */
export function sha256Of(bytes: Uint8Array): Digest {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** verifyBytes throws DigestMismatchError unless bytes hash to `expected`. */
export function verifyBytes(what: string, bytes: Uint8Array, expected: Digest): void {
  const actual = sha256Of(bytes);
  if (actual !== expected) throw new DigestMismatchError(`${what} digest`, expected, actual);
}

/**
 * Digester is a pass-through stream that hashes and counts what flows through it. With a
 * `limit`, it fails the stream as soon as more bytes arrive than announced, so a lying registry
 * cannot fill the disk before the final digest check.
 */
export class Digester extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private count = 0;
  private readonly limit: number | undefined;
  private readonly what: string;

  constructor(what: string, limit?: number) {
    super();
    this.what = what;
    this.limit = limit;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.count += chunk.length;
    if (this.limit !== undefined && this.count > this.limit) {
      done(new DigestMismatchError(`${this.what} size`, String(this.limit), `> ${this.limit}`));
      return;
    }
    this.hash.update(chunk);
    done(null, chunk);
  }

  /** digest is the sha256 of everything seen; call once, after the stream ended. */
  digest(): Digest {
    return `sha256:${this.hash.digest('hex')}`;
  }

  /** size is the number of bytes seen so far. */
  size(): number {
    return this.count;
  }
}
