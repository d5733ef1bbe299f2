import { expect } from 'chai';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  DigestMismatchError,
  extractLayer,
  UnsafeLayerError,
} from '../../../../agent/images/index.ts';
import type { LayerChanges } from '../../../../agent/images/extract/layer-writer.ts';
import { buildTar, gzipLayer, tempDir, type TarEntry } from './builders.ts';

const base = tempDir('extract');
const outside = join(base, 'outside');
const absProbe = `/corral-abs-pwned-${process.pid}`;
let n = 0;

async function extract(
  entries: readonly TarEntry[],
  warn?: (m: string, e: string) => void,
): Promise<{ dest: string; changes: LayerChanges }> {
  const layer = gzipLayer(await buildTar(entries));
  const dest = join(base, `layer-${++n}`, 'fs');
  const changes = await extractLayer({
    source: Readable.from([layer.blob]),
    compression: 'gzip',
    dest,
    diffId: layer.diffId,
    ...(warn ? { warn } : {}),
  });
  return { dest, changes };
}

async function refused(entries: readonly TarEntry[], why: RegExp): Promise<void> {
  let err: unknown;
  try {
    await extract(entries);
  } catch (e) {
    err = e;
  }
  expect(err, 'the layer must fail').to.be.instanceOf(UnsafeLayerError);
  expect(String(err)).to.match(why);
}

/** tree lists a directory as `path mode uid:gid [-> link]` lines, for comparing extractions. */
function tree(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, rel)).sort()) {
    const r = rel === '' ? name : `${rel}/${name}`;
    const st = lstatSync(join(root, r));
    const link = st.isSymbolicLink() ? ` -> ${readlinkSync(join(root, r))}` : '';
    out.push(`${r} ${(st.mode & 0o177777).toString(8)} ${st.uid}:${st.gid}${link}`);
    if (st.isDirectory()) out.push(...tree(root, r));
  }
  return out;
}

describe('layer extraction', () => {
  beforeEach(() => {
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'secret'), 'original');
  });

  afterEach(() => {
    // the invariant of every test here: nothing outside the destination changed
    expect(readdirSync(outside)).to.deep.equal(['secret']);
    expect(readFileSync(join(outside, 'secret'), 'utf8')).to.equal('original');
    expect(existsSync(absProbe), absProbe).to.equal(false);
    expect(existsSync(join(base, 'dotdot-pwned'))).to.equal(false);
  });

  describe('refuses escapes, failing the whole layer', () => {
    const cases: [string, TarEntry[], RegExp][] = [
      [
        'an absolute symlink, then a write through it',
        [
          { name: 'escape', type: 'symlink', linkname: outside },
          { name: 'escape/pwned', body: 'x' },
        ],
        /through the symlink "escape"/,
      ],
      [
        'a relative symlink climbing out, then a write through it',
        [
          { name: 'up', type: 'symlink', linkname: '../../..' },
          { name: 'up/pwned', body: 'x' },
        ],
        /symlink "up"/,
      ],
      [
        'a symlink chain ending outside',
        [
          { name: 'a', type: 'symlink', linkname: 'b' },
          { name: 'b', type: 'symlink', linkname: outside },
          { name: 'a/pwned', body: 'x' },
        ],
        /symlink "a"/,
      ],
      [
        'a directory created through a symlink',
        [
          { name: 'l', type: 'symlink', linkname: outside },
          { name: 'l/newdir/', type: 'directory' },
        ],
        /symlink "l"/,
      ],
      [
        'a symlink created through a symlink',
        [
          { name: 'l', type: 'symlink', linkname: outside },
          { name: 'l/s', type: 'symlink', linkname: '/' },
        ],
        /symlink "l"/,
      ],
      [
        'a nested write through a symlinked directory',
        [
          { name: 'd/', type: 'directory' },
          { name: 'd/l', type: 'symlink', linkname: outside },
          { name: 'd/l/x/y', body: 'x' },
        ],
        /symlink "d\/l"/,
      ],
      ['a `..` entry', [{ name: '../dotdot-pwned', body: 'x' }], /"\.\." in layer path/],
      ['a `..` in the middle of a name', [{ name: 'a/../../dotdot-pwned', body: 'x' }], /"\.\."/],
      ['an absolute entry name', [{ name: absProbe, body: 'x' }], /absolute path/],
      [
        'a hardlink to `../`',
        [{ name: 'h', type: 'link', linkname: '../outside/secret' }],
        /"\.\."/,
      ],
      [
        'a hardlink to an absolute path',
        [{ name: 'h', type: 'link', linkname: '/etc/passwd' }],
        /absolute/,
      ],
      [
        'a hardlink through a symlink',
        [
          { name: 'l', type: 'symlink', linkname: outside },
          { name: 'h', type: 'link', linkname: 'l/secret' },
        ],
        /through "l"/,
      ],
      [
        'a hardlink to a file not in the layer',
        [{ name: 'h', type: 'link', linkname: 'missing' }],
        /not in this layer/,
      ],
      ['a whiteout of `..`', [{ name: 'a/.wh..', body: '' }], /whiteout of an invalid name/],
      [
        'an opaque marker through a symlink',
        [
          { name: 'l', type: 'symlink', linkname: outside },
          { name: 'l/.wh..wh..opq', body: '' },
        ],
        /symlink "l"/,
      ],
      ['a non-directory root entry', [{ name: './', body: 'x' }], /root must be a directory/],
    ];
    for (const [name, entries, why] of cases) it(`refuses ${name}`, () => refused(entries, why));
  });

  it('replaces a symlink by a later file of the same name instead of writing through it', async () => {
    const { dest } = await extract([
      { name: 's', type: 'symlink', linkname: join(outside, 'secret') },
      { name: 's', body: 'mine' },
    ]);
    expect(lstatSync(join(dest, 's')).isFile()).to.equal(true);
    expect(readFileSync(join(dest, 's'), 'utf8')).to.equal('mine');
  });

  it('keeps absolute and relative symlink targets exactly as written', async () => {
    const { dest } = await extract([
      { name: 'bin/', type: 'directory' },
      { name: 'bin/busybox', body: 'elf', mode: 0o755 },
      { name: 'bin/ls', type: 'symlink', linkname: '/bin/busybox' },
      { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
    ]);
    expect(readlinkSync(join(dest, 'bin/ls'))).to.equal('/bin/busybox');
    expect(readlinkSync(join(dest, 'bin/sh'))).to.equal('busybox');
  });

  it('keeps set-id bits and owners: chown first, chmod after', async function () {
    if (process.getuid?.() !== 0) this.skip();
    const { dest } = await extract([
      { name: 'bin/suid', body: 'x', mode: 0o4755, uid: 1000, gid: 1000 },
      { name: 'bin/sgid', body: 'x', mode: 0o2755, uid: 0, gid: 50 },
      { name: 'home/user/', type: 'directory', mode: 0o700, uid: 1000, gid: 1000 },
      { name: 'tmp/', type: 'directory', mode: 0o1777 },
      { name: 'home/user/link', type: 'symlink', linkname: '/x', uid: 1000, gid: 100 },
    ]);
    const st = (p: string): { mode: string; uid: number; gid: number } => {
      const s = lstatSync(join(dest, p));
      return { mode: (s.mode & 0o7777).toString(8), uid: s.uid, gid: s.gid };
    };
    expect(st('bin/suid')).to.deep.equal({ mode: '4755', uid: 1000, gid: 1000 });
    expect(st('bin/sgid')).to.deep.equal({ mode: '2755', uid: 0, gid: 50 });
    expect(st('home/user')).to.deep.equal({ mode: '700', uid: 1000, gid: 1000 });
    expect(st('tmp').mode).to.equal('1777');
    expect(lstatSync(join(dest, 'home/user/link')).uid).to.equal(1000);
  });

  it('writes hardlinks inside the layer as the same inode', async () => {
    const { dest } = await extract([
      { name: 'bin/busybox', body: 'elf', mode: 0o755 },
      { name: 'bin/stat', type: 'link', linkname: 'bin/busybox' },
      { name: 'bin/again', type: 'link', linkname: './bin/busybox' },
    ]);
    const ino = lstatSync(join(dest, 'bin/busybox')).ino;
    expect(lstatSync(join(dest, 'bin/stat')).ino).to.equal(ino);
    expect(lstatSync(join(dest, 'bin/again')).ino).to.equal(ino);
  });

  it('records whiteouts and opaque dirs instead of writing them', async () => {
    const { dest, changes } = await extract([
      { name: '.wh.gone', body: '' },
      { name: 'etc/.wh.motd', body: '' },
      { name: 'opq/.wh..wh..opq', body: '' },
      { name: 'opq/new', body: 'n' },
      { name: '.wh..wh.plnk/', type: 'directory' },
    ]);
    expect(changes.whiteouts).to.deep.equal(['etc/motd', 'gone']);
    expect(changes.opaques).to.deep.equal(['opq']);
    expect(tree(dest).map(l => l.split(' ')[0])).to.deep.equal(['opq', 'opq/new']);
    expect(changes.implicitDirs).to.deep.equal(['', 'opq']);
  });

  it('creates missing parents as 0755 and remembers them as implicit', async () => {
    const { dest, changes } = await extract([
      { name: 'a/b/c', body: 'x' },
      { name: 'd/', type: 'directory', mode: 0o700 },
    ]);
    expect((lstatSync(join(dest, 'a/b')).mode & 0o7777).toString(8)).to.equal('755');
    expect(changes.implicitDirs).to.deep.equal(['', 'a', 'a/b']);
  });

  it('skips device nodes and fifos with a warning', async () => {
    const warnings: string[] = [];
    const { dest, changes } = await extract(
      [
        { name: 'dev/null', type: 'character-device' },
        { name: 'fifo', type: 'fifo' },
        { name: 'ok', body: 'x' },
      ],
      (m, e) => warnings.push(`${e}: ${m}`),
    );
    expect(changes.skipped).to.equal(2);
    expect(warnings).to.have.length(2);
    expect(warnings[0]).to.match(/^dev\/null: skipping character-device/);
    expect(existsSync(join(dest, 'dev/null'))).to.equal(false);
    expect(existsSync(join(dest, 'ok'))).to.equal(true);
  });

  it('lets a later entry replace an earlier one, file over dir and dir over file', async () => {
    const { dest } = await extract([
      { name: 'x/', type: 'directory' },
      { name: 'x/inner', body: 'i' },
      { name: 'x', body: 'file now' },
      { name: 'y', body: 'file' },
      { name: 'y/', type: 'directory' },
    ]);
    expect(readFileSync(join(dest, 'x'), 'utf8')).to.equal('file now');
    expect(lstatSync(join(dest, 'y')).isDirectory()).to.equal(true);
  });

  it('extracts the same layer to the same tree every time, also over itself', async () => {
    const entries: TarEntry[] = [
      { name: 'bin/', type: 'directory' },
      { name: 'bin/busybox', body: 'elf', mode: 0o4755 },
      { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
      { name: 'bin/stat', type: 'link', linkname: 'bin/busybox' },
      { name: 'etc/motd', body: 'hello' },
    ];
    const first = await extract(entries);
    const second = await extract(entries);
    expect(tree(second.dest)).to.deep.equal(tree(first.dest));
    const layer = gzipLayer(await buildTar(entries));
    await extractLayer({
      source: Readable.from([layer.blob]),
      compression: 'gzip',
      dest: first.dest,
      diffId: layer.diffId,
    });
    expect(tree(first.dest)).to.deep.equal(tree(second.dest));
  });

  it('refuses a layer whose uncompressed digest is not the diff_id', async () => {
    const layer = gzipLayer(await buildTar([{ name: 'a', body: 'x' }]));
    const wrong = gzipLayer(await buildTar([{ name: 'b', body: 'y' }])).diffId;
    let err: unknown;
    try {
      await extractLayer({
        source: Readable.from([layer.blob]),
        compression: 'gzip',
        dest: join(base, 'bad-diffid'),
        diffId: wrong,
      });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(DigestMismatchError);
  });

  it('reads uncompressed layers, and calls a corrupt stream a bad layer', async () => {
    const tarBytes = await buildTar([{ name: 'plain', body: 'x' }]);
    const layer = gzipLayer(tarBytes);
    const dest = join(base, 'plain');
    await extractLayer({
      source: Readable.from([tarBytes]),
      compression: 'none',
      dest,
      diffId: layer.diffId,
    });
    expect(readFileSync(join(dest, 'plain'), 'utf8')).to.equal('x');
    let err: unknown;
    try {
      await extractLayer({
        source: Readable.from([Buffer.from('not gzip at all')]),
        compression: 'gzip',
        dest: join(base, 'corrupt'),
        diffId: layer.diffId,
      });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(UnsafeLayerError);
    expect(String(err)).to.match(/not a valid/);
  });
});
