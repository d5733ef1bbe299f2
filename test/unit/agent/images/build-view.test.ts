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
import { extractLayer } from '../../../../agent/images/index.ts';
import { buildView, type ViewLayer } from '../../../../agent/images/rootfs/build-view.ts';
import { buildTar, gzipLayer, tempDir, type TarEntry } from './builders.ts';

const base = tempDir('view');
const outside = join(base, 'outside');
let n = 0;

async function layer(entries: readonly TarEntry[]): Promise<ViewLayer> {
  const built = gzipLayer(await buildTar(entries));
  const fs = join(base, `layer-${++n}`);
  const changes = await extractLayer({
    source: Readable.from([built.blob]),
    compression: 'gzip',
    dest: fs,
    diffId: built.diffId,
  });
  return { fs, changes };
}

async function view(...layers: ViewLayer[]): Promise<string> {
  const dest = join(base, `view-${++n}`);
  await buildView(layers, dest);
  return dest;
}

const names = (dir: string): string[] => readdirSync(dir).sort();
const mode = (p: string): string => (lstatSync(p).mode & 0o7777).toString(8);

describe('image view (layers merged bottom first)', () => {
  beforeEach(() => {
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'secret'), 'original');
  });
  afterEach(() => {
    expect(names(outside)).to.deep.equal(['secret']);
    expect(readFileSync(join(outside, 'secret'), 'utf8')).to.equal('original');
  });

  it('applies whiteouts and opaque dirs to lower layers only', async () => {
    const l1 = await layer([
      { name: 'etc/', type: 'directory' },
      { name: 'etc/motd', body: 'hello' },
      { name: 'gone', body: 'x' },
      { name: 'opq/', type: 'directory' },
      { name: 'opq/old1', body: '1' },
      { name: 'opq/old2', body: '2' },
      { name: 'd/sub/f', body: 'f' },
      { name: 'keep/x', body: 'x' },
    ]);
    const l2 = await layer([
      { name: '.wh.gone', body: '' },
      { name: 'etc/.wh.motd', body: '' },
      { name: 'etc/motd2', body: 'two' },
      { name: 'opq/', type: 'directory' },
      { name: 'opq/.wh..wh..opq', body: '' },
      { name: 'opq/new', body: 'n' },
      { name: '.wh.d', body: '' },
      // same layer: the whiteout hides only the lower copy, this layer's file stays
      { name: '.wh.same', body: '' },
      { name: 'same', body: 'this layer' },
    ]);
    const l3 = await layer([{ name: 'opq/newer', body: 'nn' }]);
    const v = await view(l1, l2, l3);
    expect(names(v)).to.deep.equal(['etc', 'keep', 'opq', 'same']);
    expect(names(join(v, 'etc'))).to.deep.equal(['motd2']);
    expect(names(join(v, 'opq'))).to.deep.equal(['new', 'newer']);
    expect(readFileSync(join(v, 'same'), 'utf8')).to.equal('this layer');
  });

  it('clears the whole lower tree for an opaque root', async () => {
    const l1 = await layer([
      { name: 'a', body: '1' },
      { name: 'b/c', body: '2' },
    ]);
    const l2 = await layer([
      { name: '.wh..wh..opq', body: '' },
      { name: 'z', body: 'z' },
    ]);
    expect(names(await view(l1, l2))).to.deep.equal(['z']);
  });

  it('never follows a lower symlink when applying whiteouts, opaque dirs or entries', async () => {
    const l1 = await layer([{ name: 'lnk', type: 'symlink', linkname: outside }]);
    const l2 = await layer([{ name: 'lnk/.wh.secret', body: '' }]);
    const l3 = await layer([
      { name: 'lnk/.wh..wh..opq', body: '' },
      { name: 'lnk/mine', body: 'm' },
    ]);
    const v1 = await view(l1, l2);
    expect(readlinkSync(join(v1, 'lnk'))).to.equal(outside);
    const v2 = await view(l1, l3);
    expect(lstatSync(join(v2, 'lnk')).isDirectory()).to.equal(true);
    expect(names(join(v2, 'lnk'))).to.deep.equal(['mine']);
  });

  it('replaces across layers: a dir over a file, a file over a dir, a symlink over a dir', async () => {
    const l1 = await layer([
      { name: 'x', body: 'file' },
      { name: 'd/inner', body: 'i' },
      { name: 's/inner', body: 'i' },
    ]);
    const l2 = await layer([
      { name: 'x/y', body: 'y' },
      { name: 'd', body: 'now a file' },
      { name: 's', type: 'symlink', linkname: '/etc' },
    ]);
    const v = await view(l1, l2);
    expect(readFileSync(join(v, 'x/y'), 'utf8')).to.equal('y');
    expect(readFileSync(join(v, 'd'), 'utf8')).to.equal('now a file');
    expect(readlinkSync(join(v, 's'))).to.equal('/etc');
  });

  it('keeps a lower dir owner and mode when an upper layer only implies the dir', async function () {
    if (process.getuid?.() !== 0) this.skip();
    const l1 = await layer([
      { name: 'etc/', type: 'directory', mode: 0o700, uid: 5, gid: 6 },
      { name: 'etc/a', body: 'a' },
    ]);
    const implied = await layer([{ name: 'etc/b', body: 'b' }]);
    const explicit = await layer([
      { name: 'etc/', type: 'directory', mode: 0o755 },
      { name: 'etc/c', body: 'c' },
    ]);
    const v1 = await view(l1, implied);
    expect(mode(join(v1, 'etc'))).to.equal('700');
    expect(lstatSync(join(v1, 'etc')).uid).to.equal(5);
    expect(names(join(v1, 'etc'))).to.deep.equal(['a', 'b']);
    const v2 = await view(l1, explicit);
    expect(mode(join(v2, 'etc'))).to.equal('755');
    expect(lstatSync(join(v2, 'etc')).uid).to.equal(0);
  });

  it('shares file data with the layer store: files are hardlinks, suid intact', async () => {
    const l1 = await layer([
      { name: 'bin/busybox', body: 'elf', mode: 0o4755 },
      { name: 'bin/stat', type: 'link', linkname: 'bin/busybox' },
    ]);
    const a = await view(l1);
    const b = await view(l1);
    const ino = lstatSync(join(l1.fs, 'bin/busybox')).ino;
    expect(lstatSync(join(a, 'bin/busybox')).ino).to.equal(ino);
    expect(lstatSync(join(b, 'bin/stat')).ino).to.equal(ino);
    expect(mode(join(a, 'bin/busybox'))).to.equal('4755');
    expect(existsSync(join(a, 'bin'))).to.equal(true);
  });
});
