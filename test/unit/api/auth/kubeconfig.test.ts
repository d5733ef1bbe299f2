import { expect } from 'chai';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { renderKubeconfig, writeKubeconfig } from '../../../../api/auth/index.ts';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('renderKubeconfig', () => {
  it('parses back into one cluster, user and context with the CA inlined and the context current', () => {
    const text = renderKubeconfig({
      server: 'https://127.0.0.1:6443',
      caCertPem: CA,
      token: 's3cret',
      clusterName: 'dev',
      user: 'ops',
      namespace: 'team-a',
    });
    expect(parse(text)).to.deep.equal({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'dev',
          cluster: {
            server: 'https://127.0.0.1:6443',
            'certificate-authority-data': Buffer.from(CA).toString('base64'),
          },
        },
      ],
      users: [{ name: 'ops', user: { token: 's3cret' } }],
      contexts: [{ name: 'dev', context: { cluster: 'dev', user: 'ops', namespace: 'team-a' } }],
      'current-context': 'dev',
      preferences: {},
    });
  });

  it('names everything corral/admin by default and leaves the namespace to kubectl', () => {
    const doc = parse(
      renderKubeconfig({ server: 'https://localhost:6443', caCertPem: CA, token: 't' }),
    ) as { contexts: unknown; 'current-context': string; users: { name: string }[] };
    expect(doc.contexts).to.deep.equal([
      { name: 'corral', context: { cluster: 'corral', user: 'admin' } },
    ]);
    expect(doc['current-context']).to.equal('corral');
    expect(doc.users[0]?.name).to.equal('admin');
  });

  it('refuses a plain-http server, over which kubectl would drop the token', () => {
    expect(() =>
      renderKubeconfig({ server: 'http://127.0.0.1:6443', caCertPem: CA, token: 't' }),
    ).to.throw(/must be an https:\/\/ URL/);
  });
});

describe('writeKubeconfig', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'corral-kubeconfig-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the file owner-only, creating missing directories', async () => {
    const path = join(dir, '.kube', 'config');
    await writeKubeconfig(path, 'apiVersion: v1\n');
    expect(await readFile(path, 'utf8')).to.equal('apiVersion: v1\n');
    expect((await stat(path)).mode & 0o777).to.equal(0o600);
  });

  it('tightens an existing world-readable file to 0600 when replacing it', async () => {
    const path = join(dir, 'config');
    await writeFile(path, 'old', { mode: 0o644 });
    await writeKubeconfig(path, 'new');
    expect(await readFile(path, 'utf8')).to.equal('new');
    expect((await stat(path)).mode & 0o777).to.equal(0o600);
  });
});
