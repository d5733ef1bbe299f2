// The image path end to end against real tools: Debian's docker-registry on loopback, images
// built here and pushed by skopeo (as OCI and as Docker schema2), pulled by tag and by digest,
// assembled as an overlay rootfs where a static busybox runs, malicious layers refused, GC.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  openImageStore,
  UnsafeLayerError,
  type ImageRecord,
  type ImageStore,
  type PreparedRootfs,
} from '../../../../agent/images/index.ts';
import { isMountPoint } from '../../../../agent/images/rootfs/overlay.ts';
import { registerFixture } from '../../../helpers/fixtures.ts';
import { buildTar, type TarEntry } from '../../../unit/agent/images/builders.ts';
import { writeOciLayout, type LayoutResult } from './oci-layout.ts';
import { skopeoPush, startRegistry, type LocalRegistry } from './registry-fixture.ts';

const run = promisify(execFile);
const OCI = 'application/vnd.oci.image.manifest.v1+json';
const V2S2 = 'application/vnd.docker.distribution.manifest.v2+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

describe('images e2e (docker-registry + skopeo + overlayfs)', function () {
  this.timeout(120_000);
  let registry: LocalRegistry;
  let work: string;
  let outside: string;
  let store: ImageStore;
  let busybox: LayoutResult;
  let extra: LayoutResult;
  const absProbe = `/corral-abs-pwned-${process.pid}`;
  const dotdotProbe = `/tmp/corral-dotdot-pwned-${process.pid}`;
  const ref = (tag: string): string => `${registry.host}/test/busybox:${tag}`;
  const storeFiles = (dir: string): string[] => readdirSync(join(work, 'store', dir)).sort();

  async function push(
    tag: string,
    layers: TarEntry[][],
    config: Record<string, unknown>,
    format?: 'v2s2',
  ): Promise<LayoutResult> {
    const layout = join(work, `layout-${tag}`);
    const result = writeOciLayout(layout, tag, {
      layers: await Promise.all(layers.map(l => buildTar(l))),
      config,
    });
    await skopeoPush({ layout, tag, dest: ref(tag), ...(format ? { format } : {}) });
    return result;
  }

  before(async () => {
    registry = await startRegistry();
    work = mkdtempSync(join(tmpdir(), 'corral-images-e2e-'));
    registerFixture(() => Promise.resolve(rmSync(work, { recursive: true, force: true })));
    outside = join(work, 'outside');
    mkdirSync(outside);
    const base: TarEntry[] = [
      { name: 'bin/', type: 'directory' },
      { name: 'bin/busybox', body: readFileSync('/bin/busybox'), mode: 0o755 },
      { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
      { name: 'bin/echo', type: 'symlink', linkname: 'busybox' },
      { name: 'bin/ls', type: 'symlink', linkname: '/bin/busybox' },
      { name: 'etc/', type: 'directory' },
      { name: 'etc/motd', body: 'hello from layer\n' },
      {
        name: 'etc/passwd',
        body: 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000::/home/user:/bin/sh\n',
      },
      { name: 'tmp/', type: 'directory', mode: 0o1777 },
    ];
    const second: TarEntry[] = [
      { name: 'etc/.wh.motd', body: '' },
      { name: 'etc/motd2', body: 'second layer\n' },
    ];
    const config = {
      Cmd: ['sh', '-c', 'cat /etc/motd2'],
      Env: ['PATH=/bin'],
      WorkingDir: '/',
      User: 'user',
    };
    busybox = await push('oci', [base, second], config);
    await push('v2s2', [base, second], config, 'v2s2');
    extra = await push('extra', [base, [{ name: 'app/data', body: 'extra' }]], {
      Cmd: ['/bin/sh'],
    });
    await push(
      'evil-symlink',
      [
        [
          { name: 'escape', type: 'symlink', linkname: outside },
          { name: 'escape/pwned', body: 'x' },
        ],
      ],
      {},
    );
    await push(
      'evil-dotdot',
      [[{ name: `../../../../../../../../..${dotdotProbe}`, body: 'x' }]],
      {},
    );
    await push('evil-abs', [[{ name: absProbe, body: 'x' }]], {});
    await push(
      'evil-hardlink',
      [[{ name: 'h', type: 'link', linkname: '../../../../../../../../etc/passwd' }]],
      {},
    );
    store = await openImageStore({ root: join(work, 'store') });
  });

  let oci: ImageRecord;
  let v2s2: ImageRecord;

  it('pulls the OCI-manifest image by tag, then by digest', async () => {
    oci = await store.pull(ref('oci'));
    expect(oci.mediaType).to.equal(OCI);
    expect(oci.digest).to.equal(busybox.manifestDigest);
    expect(oci.layers.map(l => l.diffId)).to.deep.equal(busybox.diffIds);
    const again = await store.pull(`${registry.host}/test/busybox@${oci.digest}`);
    expect(again.digest).to.equal(oci.digest);
    expect((await store.config(oci.digest)).defaults.cmd).to.deep.equal([
      'sh',
      '-c',
      'cat /etc/motd2',
    ]);
  });

  it('pulls the schema2 image by tag and digest, sharing every layer with the OCI one', async () => {
    v2s2 = await store.pull(ref('v2s2'));
    expect(v2s2.mediaType).to.equal(V2S2);
    expect(v2s2.digest).to.not.equal(oci.digest);
    expect((await store.pull(`${registry.host}/test/busybox@${v2s2.digest}`)).digest).to.equal(
      v2s2.digest,
    );
    expect(v2s2.layers.map(l => l.diffId)).to.deep.equal(oci.layers.map(l => l.diffId));
    expect(v2s2.layers.map(l => l.digest)).to.deep.equal(oci.layers.map(l => l.digest));
    expect(storeFiles('layers')).to.have.length(2);
  });

  it('resolves an OCI index pushed to the registry to the amd64 image', async () => {
    const entry = (r: ImageRecord, platform: Record<string, string>): Record<string, unknown> => ({
      mediaType: r.mediaType,
      digest: r.digest,
      size: statSync(join(work, 'store', 'blobs', 'sha256', r.digest.slice(7))).size,
      platform,
    });
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [
          entry(v2s2, { architecture: 'arm64', os: 'linux', variant: 'v8' }),
          entry(oci, { architecture: 'amd64', os: 'linux' }),
        ],
      }),
    );
    const put = await fetch(`http://${registry.host}/v2/test/busybox/manifests/multi`, {
      method: 'PUT',
      headers: { 'Content-Type': OCI_INDEX },
      body: index,
    });
    expect(put.status).to.equal(201);
    const r = await store.pull(ref('multi'));
    expect(r.digest).to.equal(oci.digest);
    expect(r.index).to.equal(put.headers.get('docker-content-digest'));
  });

  it('assembles an overlay rootfs where the static busybox runs and writes stay per container', async () => {
    const containerDir = join(work, 'containers', 'c1');
    const prepared: PreparedRootfs = await store.prepareRootfs(oci.digest, containerDir);
    registerFixture(() => prepared.cleanup());
    expect(await isMountPoint(prepared.rootfs)).to.equal(true);
    const { stdout } = await run(join(prepared.rootfs, 'bin/busybox'), ['echo', 'ok']);
    expect(stdout).to.equal('ok\n');
    expect(readlinkSync(join(prepared.rootfs, 'bin/ls'))).to.equal('/bin/busybox');
    expect(existsSync(join(prepared.rootfs, 'etc/motd')), 'whited out by layer 2').to.equal(false);
    expect(readFileSync(join(prepared.rootfs, 'etc/motd2'), 'utf8')).to.equal('second layer\n');
    writeFileSync(join(prepared.rootfs, 'etc/written'), 'mine');
    expect(readFileSync(join(containerDir, 'upper/etc/written'), 'utf8')).to.equal('mine');
    const view = join(work, 'store', 'views', oci.digest.slice(7));
    expect(existsSync(join(view, 'etc/written'))).to.equal(false);
    await prepared.cleanup();
    expect(await isMountPoint(prepared.rootfs)).to.equal(false);
    expect(readdirSync(containerDir)).to.deep.equal([]);
  });

  const evil: [string, RegExp][] = [
    ['evil-symlink', /path goes through the symlink "escape"/],
    ['evil-dotdot', /"\.\." in layer path/],
    ['evil-abs', /absolute path in layer/],
    ['evil-hardlink', /"\.\." in layer path/],
  ];
  for (const [tag, why] of evil) {
    it(`refuses the ${tag} image without writing outside the store`, async () => {
      let err: unknown;
      try {
        await store.pull(ref(tag));
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(UnsafeLayerError);
      expect(String(err)).to.match(why);
      expect(readdirSync(outside)).to.deep.equal([]);
      expect(existsSync(absProbe)).to.equal(false);
      expect(existsSync(dotdotProbe)).to.equal(false);
      expect(storeFiles('layers')).to.have.length(2);
      expect(storeFiles('tmp')).to.deep.equal([]);
      expect(await store.resolve(ref(tag))).to.equal(undefined);
    });
  }

  it('collects an unused image and its own layers, keeping shared and leased ones', async () => {
    const extraRecord = await store.pull(ref('extra'));
    expect(storeFiles('layers')).to.have.length(3);
    const leased = await store.prepareRootfs(v2s2.digest, join(work, 'containers', 'c2'));
    registerFixture(() => leased.cleanup());
    const first = await store.gc({ keep: new Set([oci.digest]) });
    expect([...first.removedImages].sort()).to.deep.equal([extraRecord.digest]);
    expect(first.removedLayers).to.deep.equal([extra.diffIds[1]]);
    expect(first.freedBytes).to.be.greaterThan(0);
    expect(first.removedBlobs.length).to.be.greaterThan(0);
    await leased.cleanup();
    const second = await store.gc({ keep: new Set() });
    expect([...second.removedImages].sort()).to.deep.equal([oci.digest, v2s2.digest].sort());
    expect(storeFiles('layers')).to.deep.equal([]);
    expect(storeFiles('views')).to.deep.equal([]);
    expect(storeFiles('blobs/sha256')).to.deep.equal([]);
  });
});
