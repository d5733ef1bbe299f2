// End-to-end check of the security pieces against the real kubectl: it must trust the generated
// CA from certificate-authority-data and send the token from the kubeconfig.
import { expect } from 'chai';
import express from 'express';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UserInfo } from '../../../../api/auth/index.ts';
import {
  allowAllAuthenticated,
  authenticationMiddleware,
  authorizationMiddleware,
  ensureAdminToken,
  loadTokenFile,
  renderKubeconfig,
  userOf,
  writeKubeconfig,
} from '../../../../api/auth/index.ts';
import { ensureTlsMaterial } from '../../../../api/tls/index.ts';
import type { Served } from './serve.ts';
import { serve } from './serve.ts';

// The dispatcher at /usr/bin/kubectl probes /version first; the versioned binary does not.
const KUBECTL = ['/usr/lib/google-cloud-sdk/bin/kubectl.1.32', '/usr/bin/kubectl'].find(p =>
  existsSync(p),
);

function kubectl(
  args: string[],
  home: string,
): Promise<{ code: number; out: string; err: string }> {
  return new Promise(resolve => {
    execFile(
      KUBECTL ?? 'kubectl',
      args,
      { env: { PATH: process.env.PATH ?? '', HOME: home }, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, out: stdout, err: stderr });
      },
    );
  });
}

describe('kubectl against the TLS and token pieces', function () {
  let dir: string;
  let served: Served | undefined;
  const seen: string[] = [];

  before(async function () {
    if (KUBECTL === undefined) this.skip();
    dir = await mkdtemp(join(tmpdir(), 'corral-kubectl-'));
    const tls = await ensureTlsMaterial({ dir: join(dir, 'pki') });
    const admin = await ensureAdminToken(dir);
    const app = express();
    // No anonymous paths: /version answers only if kubectl sent the token.
    app.use(
      authenticationMiddleware({ authenticator: loadTokenFile(admin.path), anonymousPaths: [] }),
    );
    app.use(authorizationMiddleware({ authorizer: allowAllAuthenticated }));
    app.get('/version', (_req, res) => {
      seen.push((userOf(res) as UserInfo).name);
      res.json({ major: '1', minor: '32', gitVersion: 'v1.32.0-corral', platform: 'linux/amd64' });
    });
    served = await serve(app, { key: tls.keyPem, cert: tls.certPem });
    const server = served.url;
    await writeKubeconfig(
      join(dir, 'good'),
      renderKubeconfig({ server, caCertPem: tls.caCertPem, token: admin.token }),
    );
    await writeKubeconfig(
      join(dir, 'by-name'),
      renderKubeconfig({
        server: server.replace('127.0.0.1', 'localhost'),
        caCertPem: tls.caCertPem,
        token: admin.token,
      }),
    );
    await writeKubeconfig(
      join(dir, 'bad'),
      renderKubeconfig({ server, caCertPem: tls.caCertPem, token: 'not-the-token' }),
    );
  });

  after(async () => {
    await served?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('trusts the CA and authenticates as admin with the generated kubeconfig', async () => {
    const r = await kubectl(['--kubeconfig', join(dir, 'good'), 'get', '--raw', '/version'], dir);
    expect(r.err).to.equal('');
    expect(r.code).to.equal(0);
    expect(JSON.parse(r.out)).to.include({ major: '1', minor: '32' });
    expect(seen).to.include('admin');
  });

  it('verifies the DNS name SAN when the server is addressed as localhost', async () => {
    const r = await kubectl(
      ['--kubeconfig', join(dir, 'by-name'), 'get', '--raw', '/version'],
      dir,
    );
    expect(r.err).to.equal('');
    expect(r.code).to.equal(0);
  });

  it('reports Unauthorized for a kubeconfig with a wrong token', async () => {
    const r = await kubectl(['--kubeconfig', join(dir, 'bad'), 'get', '--raw', '/version'], dir);
    expect(r.code).to.not.equal(0);
    expect(r.err).to.include('error: You must be logged in to the server (Unauthorized)');
  });
});
