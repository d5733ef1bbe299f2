// Image records (images/<hex>.json) and references (refs.json). Both are small JSON files
// rewritten whole with writeFileAtomic; refs.json is only rewritten under the `refs` mutex.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { isDigest, type Digest } from '../digest.ts';
import { writeFileAtomic } from './atomic.ts';
import type { StoreContext } from './context.ts';
import { imageRecordPath } from './paths.ts';

/** LayerRecord is one layer of an image: its blob and its uncompressed digest. */
export interface LayerRecord {
  readonly digest: Digest;
  readonly diffId: Digest;
  readonly mediaType: string;
  readonly size: number;
}

/** ImageRecord is what the store knows of one image (one platform manifest). */
export interface ImageRecord {
  /** digest of the platform manifest: the image's identity in the store. */
  readonly digest: Digest;
  readonly mediaType: string;
  /** index is the index or manifest list it was chosen from, when pulled through one. */
  readonly index?: Digest;
  readonly config: { readonly digest: Digest; readonly mediaType: string; readonly size: number };
  /** layers bottom first, as in the manifest. */
  readonly layers: readonly LayerRecord[];
  readonly pulledAt: number;
  readonly lastUsedAt: number;
}

const code = (e: unknown): unknown => (e as { code?: unknown }).code;

/** readImageRecord loads a record, or undefined when the store has no such image. */
export async function readImageRecord(
  ctx: StoreContext,
  d: Digest,
): Promise<ImageRecord | undefined> {
  try {
    return JSON.parse(await readFile(imageRecordPath(ctx.paths, d), 'utf8')) as ImageRecord;
  } catch (e) {
    if (code(e) === 'ENOENT') return undefined;
    throw e;
  }
}

/** writeImageRecord saves a record atomically. */
export async function writeImageRecord(ctx: StoreContext, r: ImageRecord): Promise<void> {
  await mkdir(ctx.paths.images, { recursive: true });
  await writeFileAtomic(
    ctx.paths.tmp,
    imageRecordPath(ctx.paths, r.digest),
    JSON.stringify(r, null, 2),
  );
}

/** removeImageRecord deletes a record (missing is fine). */
export async function removeImageRecord(ctx: StoreContext, d: Digest): Promise<void> {
  await rm(imageRecordPath(ctx.paths, d), { force: true });
}

/** listImageRecords loads every record in the store. */
export async function listImageRecords(ctx: StoreContext): Promise<ImageRecord[]> {
  let names: string[];
  try {
    names = await readdir(ctx.paths.images);
  } catch (e) {
    if (code(e) === 'ENOENT') return [];
    throw e;
  }
  const out: ImageRecord[] = [];
  for (const n of names) {
    const d = `sha256:${n.replace(/\.json$/, '')}`;
    if (!n.endsWith('.json') || !isDigest(d)) continue;
    const r = await readImageRecord(ctx, d);
    if (r !== undefined) out.push(r);
  }
  return out;
}

/** Refs maps reference texts (`registry/repo:tag`, `registry/repo@digest`) to image digests. */
export type Refs = Readonly<Record<string, Digest>>;

/** readRefs loads refs.json (empty when missing). */
export async function readRefs(ctx: StoreContext): Promise<Refs> {
  try {
    return JSON.parse(await readFile(ctx.paths.refs, 'utf8')) as Refs;
  } catch (e) {
    if (code(e) === 'ENOENT') return {};
    throw e;
  }
}

/** updateRefs rewrites refs.json as `change` maps it, serialised with other updates. */
export function updateRefs(ctx: StoreContext, change: (refs: Refs) => Refs): Promise<void> {
  return ctx.mutex.run('refs', async () => {
    const refs = change(await readRefs(ctx));
    await writeFileAtomic(ctx.paths.tmp, ctx.paths.refs, JSON.stringify(refs, null, 2));
  });
}
