// Verified blobs: streamed from the registry through a hashing, size-capped transform into tmp/,
// checked against the descriptor, then renamed to blobs/sha256/<hex>. Nothing unverified is ever
// at a blob path, so a blob that exists needs no second check.
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Digester, verifyBytes, type Digest } from '../digest.ts';
import { DigestMismatchError } from '../errors.ts';
import type { Descriptor } from '../registry/manifest.ts';
import type { RegistryClient } from '../registry/registry-client.ts';
import type { RegistryEndpoint } from '../registry/endpoint.ts';
import { exists, tempPath, writeFileAtomic } from './atomic.ts';
import type { StoreContext } from './context.ts';
import { blobPath } from './paths.ts';

/** FetchBlob is one download: from where, which descriptor, and a cancellation signal. */
export interface FetchBlob {
  readonly client: RegistryClient;
  readonly endpoint: RegistryEndpoint;
  readonly descriptor: Descriptor;
  readonly signal: AbortSignal | undefined;
}

async function download(ctx: StoreContext, f: FetchBlob, dest: string): Promise<void> {
  const d = f.descriptor;
  const blob = await f.client.getBlob(f.endpoint, d.digest, f.signal);
  if (blob.contentLength !== undefined && blob.contentLength !== d.size) {
    await blob.body.cancel();
    throw new DigestMismatchError(
      `blob ${d.digest} size`,
      String(d.size),
      String(blob.contentLength),
    );
  }
  await mkdir(ctx.paths.tmp, { recursive: true });
  await mkdir(ctx.paths.blobs, { recursive: true });
  const tmp = tempPath(ctx.paths.tmp, 'blob');
  const digester = new Digester(`blob ${d.digest}`, d.size);
  try {
    const body = Readable.fromWeb(blob.body);
    await pipeline(
      body,
      digester,
      createWriteStream(tmp, { flags: 'wx', mode: 0o644, flush: true }),
    );
    if (digester.size() !== d.size)
      throw new DigestMismatchError(
        `blob ${d.digest} size`,
        String(d.size),
        String(digester.size()),
      );
    const actual = digester.digest();
    if (actual !== d.digest) throw new DigestMismatchError(`blob digest`, d.digest, actual);
    await rename(tmp, dest);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** ensureBlob downloads and verifies a blob unless the store has it; returns its path. */
export async function ensureBlob(ctx: StoreContext, f: FetchBlob): Promise<string> {
  const dest = blobPath(ctx.paths, f.descriptor.digest);
  if (await exists(dest)) return dest;
  return ctx.mutex.run(`blob:${f.descriptor.digest}`, async () => {
    if (await exists(dest)) return dest;
    await download(ctx, f, dest);
    ctx.log.info({ digest: f.descriptor.digest, size: f.descriptor.size }, 'blob fetched');
    return dest;
  });
}

/** putBlob stores bytes (a manifest or config) after checking they hash to `digest`. */
export async function putBlob(ctx: StoreContext, digest: Digest, bytes: Uint8Array): Promise<void> {
  verifyBytes('blob', bytes, digest);
  const dest = blobPath(ctx.paths, digest);
  if (await exists(dest)) return;
  await ctx.mutex.run(`blob:${digest}`, async () => {
    await mkdir(ctx.paths.blobs, { recursive: true });
    if (!(await exists(dest))) await writeFileAtomic(ctx.paths.tmp, dest, bytes);
  });
}

/** readBlob reads a stored blob into memory (configs and manifests only: they are small). */
export function readBlob(ctx: StoreContext, digest: Digest): Promise<Buffer> {
  return readFile(blobPath(ctx.paths, digest));
}
