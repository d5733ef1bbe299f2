import { expect } from 'chai';
import { UnsupportedImageError } from '../../../../agent/images/index.ts';
import { parseManifest, type ImageIndex } from '../../../../agent/images/registry/manifest.ts';
import { layerCompression, MEDIA } from '../../../../agent/images/registry/media-types.ts';
import { currentPlatform, selectPlatform } from '../../../../agent/images/registry/platform.ts';
import { parseImageConfig } from '../../../../agent/images/image-config.ts';

const d = (c: string): string => `sha256:${c.repeat(64)}`;
const json = (x: unknown): Buffer => Buffer.from(JSON.stringify(x));
const manifestBody = (extra: Record<string, unknown> = {}): Buffer =>
  json({
    schemaVersion: 2,
    config: { mediaType: MEDIA.ociConfig, digest: d('c'), size: 10 },
    layers: [{ mediaType: MEDIA.ociLayerGzip, digest: d('1'), size: 5 }],
    ...extra,
  });

const entry = (digest: string, platform?: Record<string, string>): Record<string, unknown> => ({
  mediaType: MEDIA.ociManifest,
  digest,
  size: 1,
  ...(platform ? { platform } : {}),
});

describe('manifest parsing', () => {
  it('reads an OCI manifest without mediaType by its Content-Type (umoci writes none)', () => {
    const m = parseManifest(manifestBody(), `${MEDIA.ociManifest}; charset=utf-8`);
    expect(m.kind).to.equal('manifest');
    if (m.kind !== 'manifest') return;
    expect(m.config.digest).to.equal(d('c'));
    expect(m.layers.map(l => l.digest)).to.deep.equal([d('1')]);
  });

  it('reads a Docker schema2 manifest and a manifest list', () => {
    expect(
      parseManifest(manifestBody({ mediaType: MEDIA.dockerManifest }), MEDIA.dockerManifest).kind,
    ).to.equal('manifest');
    const list = json({
      schemaVersion: 2,
      mediaType: MEDIA.dockerList,
      manifests: [entry(d('a'), { os: 'linux', architecture: 'amd64' })],
    });
    expect(parseManifest(list, MEDIA.dockerList).kind).to.equal('index');
  });

  it('falls back to the body when the Content-Type is generic', () => {
    expect(
      parseManifest(json({ schemaVersion: 2, manifests: [] }), 'application/json').kind,
    ).to.equal('index');
    expect(parseManifest(manifestBody(), '').kind).to.equal('manifest');
  });

  const refused: [string, Buffer, string, RegExp][] = [
    [
      'schema1 (what registry 2.8.2 downgrades to without the v2 Accept)',
      json({ schemaVersion: 1, name: 'x' }),
      'application/vnd.docker.distribution.manifest.v1+prettyjws',
      /schema1/,
    ],
    [
      'schema1 served as json',
      json({ schemaVersion: 1, name: 'x' }),
      'application/json',
      /schema1/,
    ],
    [
      'a body whose mediaType contradicts the header',
      manifestBody({ mediaType: MEDIA.dockerManifest }),
      MEDIA.ociManifest,
      /served as/,
    ],
    [
      'an unknown media type',
      manifestBody(),
      'application/vnd.example+json',
      /unsupported manifest media type/,
    ],
    [
      'a sha512 layer digest',
      manifestBody({
        layers: [{ mediaType: MEDIA.ociLayerGzip, digest: `sha512:${'a'.repeat(128)}`, size: 1 }],
      }),
      MEDIA.ociManifest,
      /only sha256/,
    ],
    [
      'a malformed digest',
      manifestBody({ layers: [{ mediaType: MEDIA.ociLayerGzip, digest: 'sha256:xyz', size: 1 }] }),
      MEDIA.ociManifest,
      /malformed digest/,
    ],
    [
      'a negative size',
      manifestBody({ layers: [{ mediaType: MEDIA.ociLayerGzip, digest: d('1'), size: -1 }] }),
      MEDIA.ociManifest,
      /bad size/,
    ],
    ['invalid JSON', Buffer.from('{'), MEDIA.ociManifest, /not valid JSON/],
  ];
  for (const [name, body, type, msg] of refused) {
    it(`refuses ${name}`, () => {
      expect(() => parseManifest(body, type)).to.throw(UnsupportedImageError, msg);
    });
  }
});

describe('layer media types', () => {
  it('maps gzip and plain tar layers of both formats', () => {
    expect(layerCompression(MEDIA.ociLayerGzip)).to.equal('gzip');
    expect(layerCompression(MEDIA.dockerLayerGzip)).to.equal('gzip');
    expect(layerCompression(MEDIA.ociLayerTar)).to.equal('none');
  });
  it('refuses zstd and foreign layers clearly', () => {
    expect(() => layerCompression(MEDIA.ociLayerZstd)).to.throw(UnsupportedImageError, /zstd/);
    expect(() =>
      layerCompression('application/vnd.docker.image.rootfs.foreign.diff.tar.gzip'),
    ).to.throw(UnsupportedImageError);
  });
});

describe('index resolution', () => {
  const index = (manifests: Record<string, unknown>[]): ImageIndex => {
    const m = parseManifest(json({ schemaVersion: 2, manifests }), MEDIA.ociIndex);
    if (m.kind !== 'index') throw new Error('not an index');
    return m;
  };

  it('picks linux/amd64 among other platforms and attestations', () => {
    const idx = index([
      entry(d('1'), { os: 'linux', architecture: 'arm64', variant: 'v8' }),
      entry(d('2'), { os: 'unknown', architecture: 'unknown' }),
      entry(d('3'), { os: 'linux', architecture: 'amd64' }),
      entry(d('4'), { os: 'windows', architecture: 'amd64' }),
    ]);
    expect(selectPlatform(idx, { os: 'linux', architecture: 'amd64' }).digest).to.equal(d('3'));
  });

  it('prefers an exact arm variant, and accepts an entry without one', () => {
    const idx = index([
      entry(d('1'), { os: 'linux', architecture: 'arm64' }),
      entry(d('2'), { os: 'linux', architecture: 'arm64', variant: 'v8' }),
    ]);
    expect(
      selectPlatform(idx, { os: 'linux', architecture: 'arm64', variant: 'v8' }).digest,
    ).to.equal(d('2'));
    const loose = index([entry(d('1'), { os: 'linux', architecture: 'arm64' })]);
    expect(
      selectPlatform(loose, { os: 'linux', architecture: 'arm64', variant: 'v8' }).digest,
    ).to.equal(d('1'));
  });

  it('says which platforms exist when none matches', () => {
    const idx = index([
      entry(d('1'), { os: 'linux', architecture: 'arm', variant: 'v7' }),
      entry(d('2')),
    ]);
    expect(() => selectPlatform(idx, { os: 'linux', architecture: 'amd64' })).to.throw(
      UnsupportedImageError,
      /linux\/arm\/v7, \?/,
    );
  });

  it('maps Node arch names to OCI ones', () => {
    const p = currentPlatform();
    expect(p.os).to.equal('linux');
    if (process.arch === 'x64') expect(p.architecture).to.equal('amd64');
  });
});

describe('image config parsing', () => {
  it('reads diff_ids and process defaults', () => {
    const c = parseImageConfig(
      json({
        os: 'linux',
        architecture: 'amd64',
        config: {
          Entrypoint: ['/bin/app'],
          Cmd: ['--x'],
          Env: ['A=1'],
          WorkingDir: '/w',
          User: '1000:1000',
        },
        rootfs: { type: 'layers', diff_ids: [d('1')] },
      }),
    );
    expect(c.diffIds).to.deep.equal([d('1')]);
    expect(c.defaults).to.deep.equal({
      entrypoint: ['/bin/app'],
      cmd: ['--x'],
      env: ['A=1'],
      workingDir: '/w',
      user: '1000:1000',
    });
  });
  it('refuses a config without layers rootfs or with bad fields', () => {
    expect(() => parseImageConfig(json({ rootfs: { type: 'other', diff_ids: [] } }))).to.throw(
      UnsupportedImageError,
    );
    expect(() => parseImageConfig(json({ rootfs: { type: 'layers', diff_ids: ['x'] } }))).to.throw(
      UnsupportedImageError,
    );
    expect(() =>
      parseImageConfig(json({ config: { Cmd: 'sh' }, rootfs: { type: 'layers', diff_ids: [] } })),
    ).to.throw(UnsupportedImageError, /Cmd/);
  });
});
