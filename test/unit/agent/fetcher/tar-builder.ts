// Builds tar archives in memory with tar-stream's packer, for extraction tests.
import { writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import type { Header } from 'tar-stream';

/** TarEntry is one entry to pack: a file (with content), directory, symlink or hard link. */
export interface TarEntry {
  readonly name: string;
  readonly type?: Header['type'];
  readonly linkname?: string;
  readonly content?: string;
  readonly mode?: number;
}

/** tarBuffer packs the entries, in order, into one tar (gzipped when asked). */
export async function tarBuffer(entries: readonly TarEntry[], gzip = false): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) {
    const header = {
      name: e.name,
      type: e.type ?? 'file',
      mode: e.mode ?? (e.type === 'directory' ? 0o755 : 0o644),
      ...(e.linkname === undefined ? {} : { linkname: e.linkname }),
    };
    if (header.type === 'file') pack.entry(header, e.content ?? '');
    else pack.entry(header);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as AsyncIterable<Buffer>) chunks.push(c);
  const buf = Buffer.concat(chunks);
  return gzip ? gzipSync(buf) : buf;
}

/** writeTar packs the entries into a file. */
export async function writeTar(
  path: string,
  entries: readonly TarEntry[],
  gzip = false,
): Promise<void> {
  await writeFile(path, await tarBuffer(entries, gzip));
}
