// A pull, in phases: (1) resolve the reference to one platform manifest, verifying every
// manifest's bytes; (2) check the config and layer media types before downloading anything;
// (3) fetch and verify the config; (4) fetch, verify and unpack each layer; (5) record the image
// and its references. Each phase only reads what the previous one verified.
import type { Digest } from './digest.ts';
import { DigestMismatchError, UnsupportedImageError } from './errors.ts';
import { parseImageConfig, type ImageConfig } from './image-config.ts';
import { parseManifest, type Descriptor, type ImageManifest } from './registry/manifest.ts';
import { layerCompression, MEDIA } from './registry/media-types.ts';
import { platformText, selectPlatform } from './registry/platform.ts';
import type { Platform } from './registry/manifest.ts';
import type { FetchedManifest, RegistryClient } from './registry/registry-client.ts';
import type { RegistryEndpoint } from './registry/endpoint.ts';
import { repositoryName, type ImageReference } from './reference.ts';
import { ensureBlob, putBlob, readBlob } from './store/blobs.ts';
import type { StoreContext } from './store/context.ts';
import { ensureLayer } from './store/layers.ts';
import { updateRefs, writeImageRecord, type ImageRecord } from './store/records.ts';

/** PullRequest is one pull: what, from which client, for which platform. */
export interface PullRequest {
  readonly client: RegistryClient;
  readonly reference: ImageReference;
  readonly platform: Platform;
  readonly signal: AbortSignal | undefined;
}

const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
const LAYER_CONCURRENCY = 3;
const CONFIG_TYPES = new Set<string>([MEDIA.ociConfig, MEDIA.dockerConfig]);

interface Resolved {
  readonly manifest: ImageManifest;
  readonly fetched: FetchedManifest;
  readonly index: FetchedManifest | undefined;
}

// phase 1: an index (or list) is resolved to the platform's entry; indexes may nest, a little
async function resolveManifest(
  ctx: StoreContext,
  req: PullRequest,
  ep: RegistryEndpoint,
): Promise<Resolved> {
  const ref = req.reference;
  let fetched = await req.client.getManifest(ep, ref.digest ?? ref.tag ?? 'latest', req.signal);
  let index: FetchedManifest | undefined;
  for (let depth = 0; ; depth++) {
    const m = parseManifest(fetched.bytes, fetched.contentType);
    if (m.kind === 'manifest') return { manifest: m, fetched, index };
    if (depth >= 2) throw new UnsupportedImageError('index nesting is deeper than 2');
    const entry = selectPlatform(m, req.platform);
    ctx.log.info(
      { index: fetched.digest, chosen: entry.digest, platform: platformText(req.platform) },
      'index resolved',
    );
    index ??= fetched;
    fetched = await req.client.getManifest(ep, entry.digest, req.signal);
    if (fetched.bytes.length !== entry.size)
      throw new DigestMismatchError(
        `manifest ${entry.digest} size`,
        String(entry.size),
        String(fetched.bytes.length),
      );
  }
}

// phase 2: refuse what we cannot unpack before spending bandwidth on it
function checkManifest(m: ImageManifest): void {
  if (!CONFIG_TYPES.has(m.config.mediaType))
    throw new UnsupportedImageError(
      `not a container image: config media type "${m.config.mediaType}"`,
    );
  if (m.config.size > MAX_CONFIG_BYTES)
    throw new UnsupportedImageError(
      `image config is ${m.config.size} bytes, over ${MAX_CONFIG_BYTES}`,
    );
  for (const l of m.layers) layerCompression(l.mediaType);
}

// phase 3
async function fetchConfig(
  ctx: StoreContext,
  req: PullRequest,
  ep: RegistryEndpoint,
  m: ImageManifest,
): Promise<ImageConfig> {
  await ensureBlob(ctx, {
    client: req.client,
    endpoint: ep,
    descriptor: m.config,
    signal: req.signal,
  });
  const config = parseImageConfig(await readBlob(ctx, m.config.digest));
  if (config.diffIds.length !== m.layers.length)
    throw new UnsupportedImageError(
      `config lists ${config.diffIds.length} diff_ids for ${m.layers.length} layers`,
    );
  if (config.os !== undefined && config.os !== req.platform.os)
    throw new UnsupportedImageError(
      `image is for ${config.os}, this agent runs ${req.platform.os}`,
    );
  if (config.architecture !== undefined && config.architecture !== req.platform.architecture)
    ctx.log.warn(
      { image: req.reference.repository, architecture: config.architecture },
      'image architecture differs from the agent',
    );
  return config;
}

// runs fn over items, `limit` at a time; after a failure no new item starts, and it rethrows
// only once the running ones have finished, so a failed pull leaves no work behind it
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async (): Promise<void> => {
    while (next < items.length && errors.length === 0) {
      const i = next++;
      try {
        await fn(items[i] as T);
      } catch (e) {
        errors.push(e);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length > 0) throw errors[0];
}

// phase 4: a layer is downloaded (compressed digest checked) then unpacked (diff_id checked)
async function fetchLayers(
  ctx: StoreContext,
  req: PullRequest,
  ep: RegistryEndpoint,
  chain: readonly { descriptor: Descriptor; diffId: Digest }[],
): Promise<void> {
  await eachLimited(chain, LAYER_CONCURRENCY, async ({ descriptor, diffId }) => {
    await ensureBlob(ctx, { client: req.client, endpoint: ep, descriptor, signal: req.signal });
    await ensureLayer(ctx, {
      blob: descriptor.digest,
      diffId,
      compression: layerCompression(descriptor.mediaType),
    });
  });
}

/** pullImage pulls one image into the store and returns its record; see the phases above. */
export async function pullImage(ctx: StoreContext, req: PullRequest): Promise<ImageRecord> {
  const ref = req.reference;
  const ep: RegistryEndpoint = {
    scheme: ref.scheme,
    registry: ref.registry,
    repository: ref.repository,
  };
  await req.client.ping(ep, req.signal);
  const { manifest, fetched, index } = await resolveManifest(ctx, req, ep);
  checkManifest(manifest);
  const config = await fetchConfig(ctx, req, ep, manifest);
  const chain = manifest.layers.map((descriptor, i) => ({
    descriptor,
    diffId: config.diffIds[i] as Digest,
  }));
  await fetchLayers(ctx, req, ep, chain);
  // phase 5: manifests are blobs too, so the record's every digest can be re-checked offline
  await putBlob(ctx, fetched.digest, fetched.bytes);
  if (index !== undefined) await putBlob(ctx, index.digest, index.bytes);
  const now = ctx.clock.now();
  const record: ImageRecord = {
    digest: fetched.digest,
    mediaType: manifest.mediaType,
    ...(index === undefined ? {} : { index: index.digest }),
    config: {
      digest: manifest.config.digest,
      mediaType: manifest.config.mediaType,
      size: manifest.config.size,
    },
    layers: chain.map(({ descriptor: l, diffId }) => ({
      digest: l.digest,
      diffId,
      mediaType: l.mediaType,
      size: l.size,
    })),
    pulledAt: now,
    lastUsedAt: now,
  };
  await writeImageRecord(ctx, record);
  const repo = repositoryName(ref);
  await updateRefs(ctx, refs => ({
    ...refs,
    ...(ref.tag === undefined ? {} : { [`${repo}:${ref.tag}`]: record.digest }),
    ...(ref.digest === undefined ? {} : { [`${repo}@${ref.digest}`]: record.digest }),
    [`${repo}@${record.digest}`]: record.digest,
  }));
  ctx.log.info(
    { reference: repo, digest: record.digest, layers: record.layers.length },
    'image pulled',
  );
  return record;
}
