// A bare node:https Transport for the publish benchmark, to separate the API server's cost from
// the typed client's: the same Client, OfferApi and publisher run over it and over client-node's
// undici fetch (core/client's kubeConfigTransport), and the bench prints both. Not for
// production: it knows only a kubeconfig's CA and bearer token.
import { Agent, request } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { HttpResponse, Transport } from '../core/client/index.ts';

/** httpsTransport sends requests with a keep-alive agent of at most `sockets` connections. */
export function httpsTransport(kc: KubeConfig, sockets: number): Transport {
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  if (cluster === null || user?.token === undefined)
    throw new Error('httpsTransport needs a cluster and a token user');
  const url = new URL(cluster.server);
  const ca = cluster.caData === undefined ? undefined : Buffer.from(cluster.caData, 'base64');
  const agent = new Agent({ keepAlive: true, maxSockets: sockets, ...(ca ? { ca } : {}) });
  const auth = `Bearer ${user.token}`;
  return {
    send(req) {
      return new Promise<HttpResponse>((resolve, reject) => {
        const r = request(
          {
            host: url.hostname,
            port: url.port,
            path: req.path,
            method: req.method,
            agent,
            headers: { ...req.headers, authorization: auth },
            ...(req.signal === undefined ? {} : { signal: req.signal }),
          },
          res => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('error', reject);
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              resolve({
                status: res.statusCode ?? 0,
                text: () => Promise.resolve(text),
                stream: () => null,
              });
            });
          },
        );
        r.on('error', reject);
        r.end(req.body);
      });
    },
    close() {
      agent.destroy();
      return Promise.resolve();
    },
  };
}
