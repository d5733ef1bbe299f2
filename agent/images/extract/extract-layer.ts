// One layer blob → one directory: decompress, hash the tar (the diff_id), parse it with
// tar-stream and hand each entry to the LayerWriter. Any refusal fails the whole layer; the
// caller extracts into a private staging dir and only renames it into the store once verified.
import { mkdir } from 'node:fs/promises';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { Digester, type Digest } from '../digest.ts';
import { DigestMismatchError, ImageError, UnsafeLayerError } from '../errors.ts';
import type { Compression } from '../registry/media-types.ts';
import { LayerWriter, type EntryHeader, type LayerChanges } from './layer-writer.ts';

/** ExtractOptions says what to unpack, where, and what the result must hash to. */
export interface ExtractOptions {
  /** source is the verified (compressed) blob; it is consumed. */
  readonly source: Readable;
  readonly compression: Compression;
  /** dest is created if missing; it should be an empty private directory. */
  readonly dest: string;
  /** diffId is the config's rootfs.diff_ids entry: sha256 of the uncompressed tar. */
  readonly diffId: Digest;
  /** chown applies tar owners; default: when running as root. */
  readonly chown?: boolean;
  readonly warn?: (msg: string, entry: string) => void;
}

function decoders(c: Compression): Transform[] {
  switch (c) {
    case 'gzip':
      return [createGunzip()];
    case 'none':
      return [];
  }
}

// zlib and tar-stream throw plain Errors for a corrupt stream: foreign errors, mapped once here.
// Filesystem errors (they carry a syscall) are the store's own trouble and pass through.
function mapForeign(e: unknown): unknown {
  if (e instanceof ImageError || (e as { syscall?: unknown }).syscall !== undefined) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new UnsafeLayerError(`layer is not a valid (compressed) tar stream: ${message}`);
}

/** extractLayer unpacks one layer and returns its changes; on any error nothing is usable in dest. */
export async function extractLayer(opts: ExtractOptions): Promise<LayerChanges> {
  await mkdir(opts.dest, { recursive: true, mode: 0o755 });
  const writer = new LayerWriter(opts.dest, {
    chown: opts.chown ?? process.getuid?.() === 0,
    warn: opts.warn ?? (() => undefined),
  });
  const digester = new Digester('layer');
  const extract = tar.extract();
  const flow = pipeline([opts.source, ...decoders(opts.compression), digester, extract]);
  // the pipeline's own failure is reported by the loop below or by awaiting `flow`
  flow.catch(() => undefined);
  try {
    for await (const entry of extract) {
      // streamx types entry data as unknown; tar-stream always yields Buffers
      await writer.apply(entry.header satisfies EntryHeader, entry as AsyncIterable<Uint8Array>);
    }
    await flow;
  } catch (e) {
    opts.source.destroy();
    extract.destroy();
    throw mapForeign(e);
  }
  const actual = digester.digest();
  if (actual !== opts.diffId) throw new DigestMismatchError('layer diff_id', opts.diffId, actual);
  return writer.finish();
}
