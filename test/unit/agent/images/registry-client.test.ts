import { expect } from 'chai';
import { freePort } from '../../../../core/util/free-port.ts';
import {
  createRegistryClient,
  DigestMismatchError,
  InsecureRegistryError,
  RegistryError,
} from '../../../../agent/images/index.ts';
import { parseChallenges } from '../../../../agent/images/registry/auth.ts';
import type { RegistryEndpoint } from '../../../../agent/images/registry/endpoint.ts';
import { buildImage, buildTar, gzipLayer, sha256, type BuiltImage } from './builders.ts';
import { startFakeRegistry, type FakeRegistry } from './fake-registry.ts';

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('registry client', () => {
  let reg: FakeRegistry;
  let image: BuiltImage;
  let ep: RegistryEndpoint;

  beforeEach(async () => {
    reg = await startFakeRegistry();
    image = buildImage({ layers: [gzipLayer(await buildTar([{ name: 'hello', body: 'hi' }]))] });
    reg.addImage('test/app', '1', image);
    ep = { scheme: 'http', registry: reg.host, repository: 'test/app' };
  });
  afterEach(() => reg.close());

  it('pings /v2/ and fetches a manifest by tag and by digest with all four Accept types', async () => {
    const client = createRegistryClient();
    await client.ping(ep);
    const byTag = await client.getManifest(ep, '1');
    expect(byTag.digest).to.equal(image.digest);
    expect(byTag.contentType).to.equal(image.manifestType);
    const byDigest = await client.getManifest(ep, image.digest);
    expect(byDigest.bytes.equals(image.manifest)).to.equal(true);
  });

  it('sends the OCI index, OCI manifest, Docker list and Docker v2 types in Accept', async () => {
    let accept = '';
    reg.hook = req => {
      accept = req.headers.accept ?? '';
      return false;
    };
    await createRegistryClient().getManifest(ep, '1');
    expect(accept.split(', ')).to.deep.equal([
      'application/vnd.oci.image.index.v1+json',
      'application/vnd.oci.image.manifest.v1+json',
      'application/vnd.docker.distribution.manifest.list.v2+json',
      'application/vnd.docker.distribution.manifest.v2+json',
    ]);
  });

  it('refuses a manifest whose bytes do not match the digest asked for', async () => {
    const other = buildImage({ layers: [], config: { Cmd: ['x'] } });
    reg.manifests.set(`test/app@${image.digest}`, {
      body: other.manifest,
      type: other.manifestType,
    });
    const e = await rejection(createRegistryClient().getManifest(ep, image.digest));
    expect(e).to.be.instanceOf(DigestMismatchError);
    expect((e as DigestMismatchError).expected).to.equal(image.digest);
  });

  it('refuses a manifest whose Docker-Content-Digest does not match its bytes', async () => {
    reg.hook = (req, res) => {
      if (!req.url?.includes('/manifests/')) return false;
      res.writeHead(200, {
        'Content-Type': image.manifestType,
        'Docker-Content-Digest': sha256('other'),
      });
      res.end(image.manifest);
      return true;
    };
    const e = await rejection(createRegistryClient().getManifest(ep, '1'));
    expect(e).to.be.instanceOf(DigestMismatchError);
    expect(String(e)).to.match(/Docker-Content-Digest/);
  });

  it('maps a registry error body to a RegistryError with its code', async () => {
    const e = await rejection(createRegistryClient().getManifest(ep, 'nope'));
    expect(e).to.be.instanceOf(RegistryError);
    expect((e as RegistryError).status).to.equal(404);
    expect((e as RegistryError).code).to.equal('MANIFEST_UNKNOWN');
  });

  it('runs the Bearer token flow once and reuses the token', async () => {
    reg.token = 'secret-token';
    const client = createRegistryClient();
    await client.getManifest(ep, '1');
    const blob = await client.getBlob(ep, image.configDigest);
    expect(Buffer.from(await new Response(blob.body).arrayBuffer()).equals(image.config)).to.equal(
      true,
    );
    const tokenCalls = reg.requests.filter(r => r.path.startsWith('/token'));
    expect(tokenCalls).to.have.length(1);
    expect(tokenCalls[0]?.path).to.equal(
      '/token?service=fake&scope=repository%3Atest%2Fapp%3Apull',
    );
    const authed = reg.requests.filter(r => r.auth === 'Bearer secret-token').map(r => r.path);
    expect(authed).to.deep.equal([
      `/v2/test/app/manifests/1`,
      `/v2/test/app/blobs/${image.configDigest}`,
    ]);
  });

  it('sends Basic credentials to the token endpoint when it has some', async () => {
    reg.token = 'tok';
    reg.tokenBasic = `Basic ${Buffer.from('agent:pw').toString('base64')}`;
    const anonymous = await rejection(createRegistryClient().getManifest(ep, '1'));
    expect(anonymous).to.be.instanceOf(RegistryError);
    expect((anonymous as RegistryError).status).to.equal(401);
    const client = createRegistryClient({
      credentials: host => (host === reg.host ? { username: 'agent', password: 'pw' } : undefined),
    });
    expect((await client.getManifest(ep, '1')).digest).to.equal(image.digest);
  });

  it('retries with Basic auth on a Basic challenge, and fails clearly without credentials', async () => {
    const basic = `Basic ${Buffer.from('u:p').toString('base64')}`;
    reg.hook = (req, res) => {
      if (req.headers.authorization === basic) return false;
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="crr-realm"' });
      res.end();
      return true;
    };
    const e = await rejection(createRegistryClient().getManifest(ep, '1'));
    expect((e as RegistryError).code).to.equal('UNAUTHORIZED');
    const client = createRegistryClient({ credentials: () => ({ username: 'u', password: 'p' }) });
    expect((await client.getManifest(ep, '1')).digest).to.equal(image.digest);
  });

  it('refuses a token realm on plain http to a non-loopback host', async () => {
    reg.hook = (_req, res) => {
      res.writeHead(401, {
        'WWW-Authenticate': 'Bearer realm="http://auth.example.com/token",service="x"',
      });
      res.end();
      return true;
    };
    expect(await rejection(createRegistryClient().getManifest(ep, '1'))).to.be.instanceOf(
      InsecureRegistryError,
    );
  });

  it('refuses a blob redirect to plain http elsewhere', async () => {
    reg.hook = (req, res) => {
      if (!req.url?.includes('/blobs/')) return false;
      res.writeHead(307, { Location: 'http://storage.example.com/blob' });
      res.end();
      return true;
    };
    expect(
      await rejection(createRegistryClient().getBlob(ep, image.configDigest)),
    ).to.be.instanceOf(InsecureRegistryError);
  });

  it('follows a blob redirect to another origin without the Authorization header', async () => {
    reg.token = 'tok';
    const port = reg.host.split(':')[1] ?? '';
    reg.hook = (req, res) => {
      if (
        req.url?.startsWith('/v2/test/app/blobs/') &&
        req.headers.authorization === 'Bearer tok'
      ) {
        res.writeHead(307, { Location: `http://localhost:${port}/storage/${image.configDigest}` });
        res.end();
        return true;
      }
      if (!req.url?.startsWith('/storage/')) return false;
      res.writeHead(200);
      res.end(image.config);
      return true;
    };
    const blob = await createRegistryClient().getBlob(ep, image.configDigest);
    expect(Buffer.from(await new Response(blob.body).arrayBuffer()).equals(image.config)).to.equal(
      true,
    );
    expect(reg.requests.find(r => r.path.startsWith('/storage/'))?.auth).to.equal(undefined);
  });

  it('reports an unreachable registry as a RegistryError with status 0', async () => {
    const dead: RegistryEndpoint = {
      scheme: 'http',
      registry: `127.0.0.1:${await freePort()}`,
      repository: 'x',
    };
    const e = await rejection(createRegistryClient().ping(dead));
    expect(e).to.be.instanceOf(RegistryError);
    expect((e as RegistryError).status).to.equal(0);
  });

  it('refuses a manifest larger than the limit', async () => {
    const e = await rejection(createRegistryClient({ maxManifestBytes: 10 }).getManifest(ep, '1'));
    expect(e).to.be.instanceOf(RegistryError);
    expect(String(e)).to.match(/limit/);
  });

  it('says a server that is not a V2 registry is not one', async () => {
    reg.hook = (_req, res) => {
      res.writeHead(404);
      res.end();
      return true;
    };
    expect(String(await rejection(createRegistryClient().ping(ep)))).to.match(/not a V2 registry/);
  });
});

describe('WWW-Authenticate parsing', () => {
  const cases: [string, { scheme: string; params: Record<string, string> }[]][] = [
    ['Basic realm="crr-realm"', [{ scheme: 'basic', params: { realm: 'crr-realm' } }]],
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://auth.docker.io/token',
            service: 'registry.docker.io',
            scope: 'repository:library/busybox:pull',
          },
        },
      ],
    ],
    [
      'Bearer realm="https://a/t",scope="repository:x:pull,push", Basic realm=r',
      [
        { scheme: 'bearer', params: { realm: 'https://a/t', scope: 'repository:x:pull,push' } },
        { scheme: 'basic', params: { realm: 'r' } },
      ],
    ],
    ['Bearer Realm="q\\"uote"', [{ scheme: 'bearer', params: { realm: 'q"uote' } }]],
    ['', []],
  ];
  for (const [header, want] of cases) {
    it(`parses ${JSON.stringify(header)}`, () => {
      expect(parseChallenges(header)).to.deep.equal(want);
    });
  }
});
