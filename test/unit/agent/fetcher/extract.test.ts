import { expect } from 'chai';
import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FetchError } from '../../../../agent/fetcher/errors.ts';
import { extractArchive } from '../../../../agent/fetcher/extract.ts';
import type { TarEntry } from './tar-builder.ts';
import { writeTar } from './tar-builder.ts';

describe('extractArchive', () => {
  let tmp = '';
  let dest = '';
  beforeEach(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'crl-extract-'));
    dest = join(tmp, 'sandbox');
    await mkdir(dest);
  });
  afterEach(() => rm(tmp, { recursive: true, force: true }));

  async function extract(entries: TarEntry[], kind: 'tar' | 'tar.gz' = 'tar'): Promise<void> {
    const archive = join(tmp, kind === 'tar' ? 'a.tar' : 'a.tgz');
    await writeTar(archive, entries, kind === 'tar.gz');
    await extractArchive({ archive, kind, destDir: dest, name: 'a.tar', uri: 'file:///a' });
  }

  async function refusal(entries: TarEntry[]): Promise<FetchError> {
    try {
      await extract(entries);
    } catch (e) {
      expect(e).to.be.instanceOf(FetchError);
      return e as FetchError;
    }
    throw new Error('archive was accepted');
  }

  it('extracts files, directories, inner symlinks and hard links, dropping set-id bits', async () => {
    await extract(
      [
        { name: './bin/', type: 'directory' },
        { name: './bin/tool', content: '#!/bin/sh\n', mode: 0o4755 },
        { name: 'docs/readme.txt', content: 'hi' },
        { name: 'docs/latest', type: 'symlink', linkname: 'readme.txt' },
        { name: 'bin/tool-link', type: 'link', linkname: 'bin/tool' },
        { name: 'données/é.txt', content: 'utf8' },
      ],
      'tar.gz',
    );
    expect((await stat(join(dest, 'bin', 'tool'))).mode & 0o7777).to.equal(0o755);
    expect(await readFile(join(dest, 'docs', 'readme.txt'), 'utf8')).to.equal('hi');
    expect(await readlink(join(dest, 'docs', 'latest'))).to.equal('readme.txt');
    expect((await stat(join(dest, 'bin', 'tool-link'))).ino).to.equal(
      (await stat(join(dest, 'bin', 'tool'))).ino,
    );
    expect(await readFile(join(dest, 'données', 'é.txt'), 'utf8')).to.equal('utf8');
  });

  const escapes: [string, TarEntry[], RegExp][] = [
    ['a .. entry', [{ name: '../evil', content: 'x' }], /climbs out/],
    ['a nested .. entry', [{ name: 'a/../../evil', content: 'x' }], /climbs out/],
    ['an absolute entry', [{ name: '/tmp/crl-evil', content: 'x' }], /is absolute/],
    ['an absolute symlink', [{ name: 'etc', type: 'symlink', linkname: '/etc' }], /is absolute/],
    [
      'a symlink climbing out',
      [{ name: 'a/up', type: 'symlink', linkname: '../../x' }],
      /climbs out/,
    ],
    [
      'a write through a symlink it made',
      [
        { name: 'dir', type: 'directory' },
        { name: 'link', type: 'symlink', linkname: 'dir' },
        { name: 'link/file', content: 'x' },
      ],
      /through a symlink/,
    ],
    [
      'a file written over a symlink',
      [
        { name: 'target', content: 't' },
        { name: 'ln', type: 'symlink', linkname: 'target' },
        { name: 'ln', content: 'x' },
      ],
      /symlink/,
    ],
    [
      'a hard link to a file outside',
      [{ name: 'h', type: 'link', linkname: '../outside' }],
      /climbs out/,
    ],
    [
      'a hard link to nothing extracted',
      [{ name: 'h', type: 'link', linkname: 'nope' }],
      /not to an extracted file/,
    ],
  ];
  for (const [what, entries, message] of escapes) {
    it(`refuses ${what}`, async () => {
      await writeFile(join(tmp, 'outside'), 'secret');
      const e = await refusal(entries);
      expect(e.code).to.equal('UNSAFE_ARCHIVE');
      expect(e.message).to.match(message);
      expect(await readdir(tmp)).to.have.members(['a.tar', 'outside', 'sandbox']);
      expect(await readFile(join(tmp, 'outside'), 'utf8')).to.equal('secret');
    });
  }

  it('does not write through a symlink an earlier URI left in the sandbox', async () => {
    await mkdir(join(tmp, 'elsewhere'));
    await symlink(join(tmp, 'elsewhere'), join(dest, 'lib'));
    const e = await refusal([{ name: 'lib/x.so', content: 'x' }]);
    expect(e.code).to.equal('UNSAFE_ARCHIVE');
    expect(await readdir(join(tmp, 'elsewhere'))).to.deep.equal([]);
  });

  it('refuses device nodes and fifos', async () => {
    const e = await refusal([{ name: 'null', type: 'character-device' }]);
    expect(e.code).to.equal('UNSUPPORTED_ARCHIVE');
    const f = await refusal([{ name: 'pipe', type: 'fifo' }]);
    expect(f.code).to.equal('UNSUPPORTED_ARCHIVE');
  });

  it('reports a corrupt archive', async () => {
    const archive = join(tmp, 'bad.tgz');
    await writeFile(archive, Buffer.from('not gzip at all'));
    let err: unknown;
    try {
      await extractArchive({ archive, kind: 'tar.gz', destDir: dest, name: 'bad.tgz', uri: 'u' });
    } catch (e) {
      err = e;
    }
    expect((err as FetchError).code).to.equal('CORRUPT_ARCHIVE');
  });

  it('gunzips a single .gz file next to it', async () => {
    const archive = join(dest, 'data.csv.gz');
    await writeFile(archive, gzipSync('a,b\n'));
    await extractArchive({ archive, kind: 'gz', destDir: dest, name: 'data.csv.gz', uri: 'u' });
    expect(await readFile(join(dest, 'data.csv'), 'utf8')).to.equal('a,b\n');
    expect((await lstat(archive)).isFile()).to.equal(true);
  });
});
