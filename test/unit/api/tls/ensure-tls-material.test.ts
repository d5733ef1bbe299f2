import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TlsMaterial } from '../../../../api/tls/index.ts';
import { ensureTlsMaterial } from '../../../../api/tls/index.ts';
import type { Served } from '../auth/serve.ts';
import { serve } from '../auth/serve.ts';

const DAY = 24 * 60 * 60 * 1000;

// GETs `/` from a loopback server trusting only `ca`, presenting `servername` for the check.
function getTrusting(opts: {
  port: number;
  ca: string;
  servername?: string;
}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: opts.port,
        path: '/',
        ca: opts.ca,
        agent: false,
        ...(opts.servername === undefined ? {} : { servername: opts.servername }),
      },
      res => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? String(e);
  }
  throw new Error('expected the request to fail');
}

describe('ensureTlsMaterial', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'corral-tls-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('a server using the generated certificate', () => {
    let tls: TlsMaterial;
    let served: Served;
    beforeEach(async () => {
      tls = await ensureTlsMaterial({ dir });
      served = await serve((_req, res) => res.end('hello'), { key: tls.keyPem, cert: tls.certPem });
    });
    afterEach(async () => {
      await served.close();
    });

    it('is trusted by a client that trusts only the CA, connecting by IP', async () => {
      expect(await getTrusting({ port: served.port, ca: tls.caCertPem })).to.deep.equal({
        status: 200,
        body: 'hello',
      });
    });

    it('is trusted by a client that trusts only the CA, connecting by localhost', async () => {
      const res = await getTrusting({
        port: served.port,
        ca: tls.caCertPem,
        servername: 'localhost',
      });
      expect(res.status).to.equal(200);
    });

    it('is refused for a host name it does not cover', async () => {
      const code = await failure(
        getTrusting({ port: served.port, ca: tls.caCertPem, servername: 'example.com' }),
      );
      expect(code).to.equal('ERR_TLS_CERT_ALTNAME_INVALID');
    });

    it('is refused by a client trusting a different CA', async () => {
      const other = await mkdtemp(join(tmpdir(), 'corral-tls-other-'));
      try {
        const foreign = await ensureTlsMaterial({ dir: other });
        const code = await failure(getTrusting({ port: served.port, ca: foreign.caCertPem }));
        expect(code).to.be.oneOf([
          'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
          'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
        ]);
      } finally {
        await rm(other, { recursive: true, force: true });
      }
    });
  });

  it('writes keys owner-only and certificates world-readable, and names IP and DNS SANs', async () => {
    const tls = await ensureTlsMaterial({ dir });
    expect((await stat(tls.keyPath)).mode & 0o777).to.equal(0o600);
    expect((await stat(join(dir, 'ca.key'))).mode & 0o777).to.equal(0o600);
    expect((await stat(tls.certPath)).mode & 0o777).to.equal(0o644);
    expect((await stat(tls.caPath)).mode & 0o777).to.equal(0o644);
    const cert = new X509Certificate(tls.certPem);
    expect(cert.subjectAltName).to.equal(
      'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    );
    const ca = new X509Certificate(tls.caCertPem);
    expect(ca.ca).to.equal(true);
    expect(cert.ca).to.equal(false);
    expect(cert.checkIssued(ca)).to.equal(true);
    // The CA lives ten years, the serving certificate one.
    expect(ca.validToDate.getTime() - Date.now()).to.be.greaterThan(3649 * DAY);
    expect(cert.validToDate.getTime() - Date.now()).to.be.within(364 * DAY, 366 * DAY);
  });

  it('reuses the stored material on a later call', async () => {
    const first = await ensureTlsMaterial({ dir });
    const mtime = (await stat(first.certPath)).mtimeMs;
    const second = await ensureTlsMaterial({ dir, hosts: ['127.0.0.1', 'localhost'] });
    expect(second).to.deep.equal(first);
    expect((await stat(first.certPath)).mtimeMs).to.equal(mtime);
  });

  it('reissues only the serving certificate, under the same CA, when a new host is requested', async () => {
    const first = await ensureTlsMaterial({ dir });
    const second = await ensureTlsMaterial({
      dir,
      hosts: ['localhost', '127.0.0.1', 'corral.internal'],
    });
    expect(second.caCertPem).to.equal(first.caCertPem);
    expect(second.certPem).to.not.equal(first.certPem);
    expect(second.keyPem).to.not.equal(first.keyPem);
    expect(new X509Certificate(second.certPem).checkHost('corral.internal')).to.equal(
      'corral.internal',
    );
  });

  it('reissues the serving certificate when it is within 30 days of expiry', async () => {
    const first = await ensureTlsMaterial({ dir });
    const later = { now: () => Date.now() + 340 * DAY };
    const second = await ensureTlsMaterial({ dir, clock: later });
    expect(second.caCertPem).to.equal(first.caCertPem);
    expect(second.certPem).to.not.equal(first.certPem);
  });

  it('replaces everything when the CA is near its end', async () => {
    const first = await ensureTlsMaterial({ dir });
    const second = await ensureTlsMaterial({ dir, clock: { now: () => Date.now() + 3640 * DAY } });
    expect(second.caCertPem).to.not.equal(first.caCertPem);
    expect(second.certPem).to.not.equal(first.certPem);
  });

  it('regenerates a serving key that is corrupt or does not match its certificate', async () => {
    const first = await ensureTlsMaterial({ dir });
    await writeFile(first.keyPath, 'not a key');
    const second = await ensureTlsMaterial({ dir });
    expect(second.caCertPem).to.equal(first.caCertPem);
    expect(second.certPem).to.not.equal(first.certPem);
    expect(
      new X509Certificate(second.certPem).checkIssued(new X509Certificate(second.caCertPem)),
    ).to.equal(true);
  });

  it('regenerates the serving certificate when it was signed by another CA', async () => {
    const first = await ensureTlsMaterial({ dir });
    await rm(join(dir, 'ca.crt'));
    const second = await ensureTlsMaterial({ dir });
    expect(second.caCertPem).to.not.equal(first.caCertPem);
    expect(
      new X509Certificate(second.certPem).checkIssued(new X509Certificate(second.caCertPem)),
    ).to.equal(true);
  });
});
