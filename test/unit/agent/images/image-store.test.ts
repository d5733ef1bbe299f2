import { expect } from 'chai';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../../../core/util/clock.ts';
import {
  DigestMismatchError,
  openImageStore,
  UnsafeLayerError,
  UnsupportedImageError,
  type ImageStore,
} from '../../../../agent/images/index.ts';
import { digestHex } from '../../../../agent/images/digest.ts';
import { newStoreContext, silentImageLogger } from '../../../../agent/images/store/context.ts';
import { addLease } from '../../../../agent/images/store/leases.ts';
import { storePaths } from '../../../../agent/images/store/paths.ts';
import {
  buildImage,
  buildIndex,
  buildTar,
  gzipLayer,
  tempDir,
  type BuiltImage,
  type BuiltLayer,
} from './builders.ts';
import { startFakeRegistry, type FakeRegistry } from './fake-registry.ts';

const base = tempDir('store');
let n = 0;

interface Harness {
  store: ImageStore;
  root: string;
  reg: FakeRegistry;
  clock: Clock & { t: number };
  logs: string[];
  ref: (tag: string) => string;
  blobFetches: () => string[];
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('image store: pull, share, verify, collect', () => {
  let h: Harness;
  let base1: BuiltLayer;
  let app: BuiltLayer;

  before(async () => {
    base1 = gzipLayer(
      await buildTar([
        { name: 'bin/', type: 'directory' },
        { name: 'bin/tool', body: 'base', mode: 0o755 },
      ]),
    );
    app = gzipLayer(
      await buildTar([{ name: 'app/run', body: 'app' }]),
      'application/vnd.docker.image.rootfs.diff.tar.gzip',
    );
  });

  beforeEach(async () => {
    const reg = await startFakeRegistry();
    const root = join(base, `store-${++n}`);
    const clock = {
      t: 1_000_000,
      now: () => clock.t,
      sleep: () => Promise.resolve(),
    };
    const logs: string[] = [];
    const store = await openImageStore({
      root,
      clock,
      log: { info: (_o, m) => logs.push(m), warn: (_o, m) => logs.push(`warn: ${m}`) },
      platform: { os: 'linux', architecture: 'amd64' },
    });
    h = {
      store,
      root,
      reg,
      clock,
      logs,
      ref: tag => `${reg.host}/test/app:${tag}`,
      blobFetches: () => reg.requests.filter(r => r.path.includes('/blobs/')).map(r => r.path),
    };
  });
  afterEach(() => h.reg.close());

  const files = (dir: string): string[] =>
    existsSync(join(h.root, dir)) ? readdirSync(join(h.root, dir)).sort() : [];

  it('pulls an OCI image: verified blobs, unpacked layers, record, refs and view', async () => {
    const img = buildImage({
      layers: [base1, app],
      config: { Entrypoint: ['/app/run'], Env: ['A=1'] },
    });
    h.reg.addImage('test/app', '1', img);
    const r = await h.store.pull(h.ref('1'));
    expect(r.digest).to.equal(img.digest);
    expect(r.layers.map(l => l.diffId)).to.deep.equal([base1.diffId, app.diffId]);
    expect(files('blobs/sha256')).to.deep.equal(
      [img.digest, img.configDigest, base1.digest, app.digest].map(d => digestHex(d)).sort(),
    );
    expect(files('layers')).to.deep.equal([base1.diffId, app.diffId].map(d => digestHex(d)).sort());
    expect(existsSync(join(h.root, 'views', digestHex(img.digest), 'app/run'))).to.equal(true);
    expect((await h.store.resolve(h.ref('1')))?.digest).to.equal(img.digest);
    expect((await h.store.resolve(`${h.reg.host}/test/app@${img.digest}`))?.digest).to.equal(
      img.digest,
    );
    expect((await h.store.config(img.digest)).defaults.entrypoint).to.deep.equal(['/app/run']);
    expect(files('tmp')).to.deep.equal([]);
  });

  it('shares a layer between an OCI and a schema2 image and fetches it once', async () => {
    const oci = buildImage({ layers: [base1, app] });
    const docker = buildImage({
      layers: [base1],
      format: 'docker',
      config: { Cmd: ['/bin/tool'] },
    });
    h.reg.addImage('test/app', 'oci', oci);
    h.reg.addImage('test/app', 'v2s2', docker);
    await Promise.all([h.store.pull(h.ref('oci')), h.store.pull(h.ref('v2s2'))]);
    expect(files('layers')).to.have.length(2);
    expect(h.blobFetches().filter(p => p.endsWith(base1.digest))).to.have.length(1);
    expect(h.logs.filter(m => m === 'layer unpacked')).to.have.length(2);
    const before = h.blobFetches().length;
    await h.store.pull(h.ref('v2s2'));
    expect(h.blobFetches().length, 'a re-pull fetches no blob').to.equal(before);
  });

  it('resolves an index to the amd64 image and remembers the index digest', async () => {
    const amd = buildImage({ layers: [base1] });
    const arm = buildImage({ layers: [app], architecture: 'arm64' });
    const index = buildIndex([
      { image: arm, os: 'linux', architecture: 'arm64', variant: 'v8' },
      { image: amd, os: 'linux', architecture: 'amd64' },
    ]);
    h.reg.addImage('test/app', 'amd-only', amd);
    h.reg.addImage('test/app', 'arm-only', arm);
    h.reg.addManifest('test/app', 'multi', {
      body: index.bytes,
      type: 'application/vnd.oci.image.index.v1+json',
      digest: index.digest,
    });
    const r = await h.store.pull(`${h.reg.host}/test/app@${index.digest}`);
    expect(r.digest).to.equal(amd.digest);
    expect(r.index).to.equal(index.digest);
    expect(h.blobFetches().some(p => p.endsWith(app.digest))).to.equal(false);
    expect((await h.store.resolve(`${h.reg.host}/test/app@${index.digest}`))?.digest).to.equal(
      amd.digest,
    );
  });

  it('refuses a blob that does not hash to its digest and keeps nothing of it', async () => {
    const img = buildImage({ layers: [base1] });
    h.reg.addImage('test/app', '1', img);
    h.reg.blobs.set(base1.digest, app.blob);
    const e = await rejection(h.store.pull(h.ref('1')));
    expect(e).to.be.instanceOf(DigestMismatchError);
    expect(files('blobs/sha256')).to.not.include(digestHex(base1.digest));
    expect(files('layers')).to.deep.equal([]);
    expect(files('images')).to.deep.equal([]);
    expect(files('tmp')).to.deep.equal([]);
  });

  it('refuses a config whose diff_ids do not match the layers', async () => {
    const img = buildImage({ layers: [base1], diffIds: [app.diffId] });
    h.reg.addImage('test/app', '1', img);
    expect(await rejection(h.store.pull(h.ref('1')))).to.be.instanceOf(DigestMismatchError);
    expect(files('layers')).to.deep.equal([]);
    expect(files('tmp')).to.deep.equal([]);
  });

  it('refuses zstd layers before downloading any blob', async () => {
    const zstd: BuiltLayer = { ...base1, mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd' };
    h.reg.addImage('test/app', '1', buildImage({ layers: [zstd] }));
    const e = await rejection(h.store.pull(h.ref('1')));
    expect(e).to.be.instanceOf(UnsupportedImageError);
    expect(String(e)).to.match(/zstd/);
    expect(h.blobFetches()).to.deep.equal([]);
  });

  it('fails a pull with a malicious layer and keeps no trace of the layer', async () => {
    const outside = tempDir('outside');
    const evil = gzipLayer(
      await buildTar([
        { name: 'escape', type: 'symlink', linkname: outside },
        { name: 'escape/pwned', body: 'x' },
      ]),
    );
    h.reg.addImage('test/app', 'evil', buildImage({ layers: [base1, evil] }));
    expect(await rejection(h.store.pull(h.ref('evil')))).to.be.instanceOf(UnsafeLayerError);
    expect(readdirSync(outside)).to.deep.equal([]);
    expect(files('layers')).to.not.include(digestHex(evil.diffId));
    expect(files('images')).to.deep.equal([]);
    expect(files('tmp')).to.deep.equal([]);
  });

  describe('gc', () => {
    let a: BuiltImage;
    let b: BuiltImage;
    beforeEach(async () => {
      a = buildImage({ layers: [base1, app] });
      b = buildImage({ layers: [base1], format: 'docker' });
      h.reg.addImage('test/app', 'a', a);
      h.reg.addImage('test/app', 'b', b);
      await h.store.pull(h.ref('a'));
      await h.store.pull(h.ref('b'));
    });

    it('removes images not kept and what only they referenced, keeping shared layers', async () => {
      const report = await h.store.gc({ keep: new Set([b.digest]) });
      expect(report.removedImages).to.deep.equal([a.digest]);
      expect(report.removedLayers).to.deep.equal([app.diffId]);
      expect([...report.removedBlobs].sort()).to.deep.equal(
        [a.digest, a.configDigest, app.digest].sort(),
      );
      expect(report.keptImages).to.deep.equal([b.digest]);
      expect(report.freedBytes).to.be.greaterThan(0);
      expect(files('layers')).to.deep.equal([digestHex(base1.diffId)]);
      expect(files('views')).to.deep.equal([digestHex(b.digest)]);
      expect(await h.store.resolve(h.ref('a'))).to.equal(undefined);
      expect((await h.store.resolve(h.ref('b')))?.digest).to.equal(b.digest);
      const all = await h.store.gc({ keep: new Set() });
      expect(all.removedLayers).to.deep.equal([base1.diffId]);
      expect(files('layers')).to.deep.equal([]);
      expect(files('blobs/sha256')).to.deep.equal([]);
    });

    it('keeps leased images, excluded references and recently used images', async () => {
      const ctx = newStoreContext({
        paths: storePaths(h.root),
        chown: false,
        log: silentImageLogger,
        clock: h.clock,
      });
      await addLease(ctx, { image: a.digest, holder: '/run/c1', createdAt: 0 });
      expect((await h.store.gc({ keep: new Set() })).removedImages).to.deep.equal([b.digest]);
      await h.store.pull(h.ref('b'));
      h.clock.t += 60_000;
      expect(
        (await h.store.gc({ keep: new Set(), excludedImages: [h.ref('b')] })).removedImages,
      ).to.deep.equal([]);
      expect(
        (await h.store.gc({ keep: new Set(), maxUnusedAgeMs: 120_000 })).removedImages,
      ).to.deep.equal([]);
      h.clock.t += 120_000;
      expect(
        (await h.store.gc({ keep: new Set(), maxUnusedAgeMs: 120_000 })).removedImages,
      ).to.deep.equal([b.digest]);
    });

    it('never collects an image a container holds, and counts its use until the release', async () => {
      const held = await h.store.acquire(h.ref('a'), 'task-1');
      expect(held.record.digest).to.equal(a.digest);
      h.clock.t += 3_600_000;
      // held for an hour, long past the age limit, and b unused since its pull: only b goes
      expect(
        (await h.store.gc({ keep: new Set(), maxUnusedAgeMs: 60_000 })).removedImages,
      ).to.deep.equal([b.digest]);
      expect(existsSync(held.view.path)).to.equal(true);
      await held.view.release();
      h.clock.t += 30_000;
      // released 30 s ago: recently used, so a pass that spares the last minute keeps it
      expect(
        (await h.store.gc({ keep: new Set(), maxUnusedAgeMs: 60_000 })).removedImages,
      ).to.deep.equal([]);
      h.clock.t += 60_000;
      expect(
        (await h.store.gc({ keep: new Set(), maxUnusedAgeMs: 60_000 })).removedImages,
      ).to.deep.equal([a.digest]);
      expect(files('layers')).to.deep.equal([]);
      expect(files('views')).to.deep.equal([]);
    });

    it('releaseLease by holder (after an agent restart) frees the image and marks its use', async () => {
      await h.store.acquire(h.ref('b'), 'task-2');
      h.clock.t += 600_000;
      await h.store.releaseLease('task-2');
      await h.store.releaseLease('task-2'); // idempotent
      expect((await h.store.get(b.digest))?.lastUsedAt).to.equal(h.clock.t);
      h.clock.t += 1;
      expect([...(await h.store.gc({ keep: new Set() })).removedImages].sort()).to.deep.equal(
        [a.digest, b.digest].sort(),
      );
    });

    it('acquire pulls an image GC collected since its last use, and leases it', async () => {
      await h.store.gc({ keep: new Set() });
      expect(await h.store.resolve(h.ref('a'))).to.equal(undefined);
      const again = await h.store.acquire(h.ref('a'), 'task-3');
      expect(again.record.digest).to.equal(a.digest);
      expect(existsSync(join(again.view.path, 'app/run'))).to.equal(true);
      await again.view.release();
    });
  });
});
