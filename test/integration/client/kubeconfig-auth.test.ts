import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import type { Transport } from '../../../core/client/index.ts';
import { Client, ClientError, builtinKinds, isTransport } from '../../../core/client/index.ts';
import { httpsTransport } from '../../../core/client/https-transport.ts';
import { undiciTransport } from '../../../core/client/undici-transport.ts';
import { generateCa, issueServerCert } from '../../../api/tls/generate.ts';
import { startTestApiServer, type TestApiServer } from '../../helpers/api-server.ts';
import { kubeConfigFor } from './kubeconfigs.ts';

const b64 = (pem: string): string => Buffer.from(pem).toString('base64');

// An exec credential plugin that reads its token from a file on every run and says the token has
// already expired, so client-node runs it again for the next request.
const EXEC_PLUGIN = `
const token = require('node:fs').readFileSync(process.argv[1], 'utf8').trim();
process.stdout.write(JSON.stringify({
  apiVersion: 'client.authentication.k8s.io/v1',
  kind: 'ExecCredential',
  status: { token, expirationTimestamp: '2000-01-01T00:00:00Z' },
}));`;

for (const [name, transportOf] of [
  ['httpsTransport', httpsTransport],
  ['undiciTransport', undiciTransport],
] as const) {
  describe(`${name} credentials from plugins and certificates`, function () {
    this.timeout(60_000);
    let api: TestApiServer;
    const opened: Transport[] = [];
    const namespaces = (t: Transport) => {
      opened.push(t);
      return new Client(t).for(builtinKinds.namespaces);
    };
    const status = (e: unknown): number | string =>
      e instanceof ClientError ? e.code : `not a ClientError: ${String(e)}`;

    before(async () => {
      api = await startTestApiServer();
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map(t => t.close()));
    });
    after(async () => {
      await api.stop();
    });

    it('reads the token of an auth-provider token file (the in-cluster identity)', async () => {
      const path = join(api.dir, 'sa-token');
      writeFileSync(path, api.token);
      const kc = kubeConfigFor(api, {
        authProvider: { name: 'tokenFile', config: { tokenFile: path } },
      });
      const ns = await namespaces(transportOf(kc)).get({ name: 'default' });
      expect(ns.metadata.name).to.equal('default');
    });

    it('asks an exec plugin again once its credential expires, so a rotated token is used', async () => {
      const tokenPath = join(api.dir, 'exec-token');
      const kc = kubeConfigFor(api, {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          command: process.execPath,
          args: ['-e', EXEC_PLUGIN, tokenPath],
        },
      });
      const ns = namespaces(transportOf(kc));
      writeFileSync(tokenPath, api.token);
      expect((await ns.get({ name: 'default' })).metadata.name).to.equal('default');
      writeFileSync(tokenPath, 'revoked');
      expect(status(await ns.get({ name: 'default' }).catch((e: unknown) => e))).to.equal(401);
      writeFileSync(tokenPath, api.token);
      expect((await ns.get({ name: 'default' })).metadata.name).to.equal('default');
    });

    // The API server has no client-certificate authentication, so a node:https server that
    // requires one (a fake API) checks what the transport presents.
    describe('against a node:https server requiring a client certificate (fake API server)', () => {
      let server: Server;
      let kcWith: (user: {
        certData?: string;
        keyData?: string;
      }) => ReturnType<typeof kubeConfigFor>;
      let certUser: { certData: string; keyData: string };

      before(async () => {
        const now = Date.now();
        const ca = await generateCa(now);
        const serving = await issueServerCert({ ca, hosts: ['127.0.0.1'], nowMs: now });
        const client = await generate([{ name: 'commonName', value: 'system:node:tester' }], {
          keyType: 'ec',
          curve: 'P-256',
          algorithm: 'sha256',
          ca: { cert: ca.certPem, key: ca.keyPem },
          extensions: [{ name: 'extKeyUsage', clientAuth: true }],
        });
        server = createServer(
          {
            cert: serving.certPem,
            key: serving.keyPem,
            ca: ca.certPem,
            requestCert: true,
            rejectUnauthorized: true,
          },
          (req, res) => {
            const cn = (req.socket as TLSSocket).getPeerCertificate().subject.CN;
            res.setHeader('content-type', 'application/json');
            res.end(
              JSON.stringify({ kind: 'Namespace', apiVersion: 'v1', metadata: { name: cn } }),
            );
          },
        );
        await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
        const { port } = server.address() as AddressInfo;
        const cluster = { server: `https://127.0.0.1:${port}`, caData: b64(ca.certPem) };
        kcWith = user => kubeConfigFor(api, user, cluster);
        certUser = { certData: b64(client.cert), keyData: b64(client.private) };
      });
      after(async () => {
        server.closeAllConnections();
        await new Promise(r => server.close(r));
      });

      it('presents the kubeconfig client certificate and key', async () => {
        const ns = await namespaces(transportOf(kcWith(certUser))).get({ name: 'whoami' });
        expect(ns.metadata.name).to.equal('system:node:tester');
      });

      it('fails the handshake without one', async () => {
        const err = await namespaces(transportOf(kcWith({})))
          .get({ name: 'whoami' })
          .catch((e: unknown) => e);
        expect(isTransport(err), String(err)).to.equal(true);
      });
    });
  });
}
