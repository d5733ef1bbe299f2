// The transport before undici-transport.ts (the default now), kept as bench/client-transport.ts's
// baseline and run through the same tests: HTTP/1.1 over node:https keep-alive connections, in
// two pools. Plain requests share a bounded pool (maxSockets); watches get a pool of their own,
// one connection per open watch, because an HTTP/1.1 watch holds its connection for minutes and
// must not take the place of Lease renewals and status writes. Credentials come from client-node
// (kubeconfig-credentials.ts, pooled-transport.ts); the per-request work is one header object
// and one http.request.
import { Agent as PlainAgent } from 'node:http';
import type { Agent } from 'node:http';
import { Agent as TlsAgent } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { TlsSettings } from './kubeconfig-credentials.ts';
import { exchange } from './node-request.ts';
import {
  credentialedTransport,
  endpointOf,
  isWatch,
  TCP_KEEPALIVE_MS,
  transportSettings,
} from './pooled-transport.ts';
import type { KubeConfigTransportOptions, Transport } from './transport.ts';

interface Pools {
  readonly requests: Agent;
  readonly watches: Agent;
}

function makePools(secure: boolean, tls: TlsSettings, maxSockets: number): Pools {
  const Ctor = secure ? TlsAgent : PlainAgent;
  // lifo: the busiest connections are reused and the spare ones idle out
  const common = {
    keepAlive: true,
    keepAliveMsecs: TCP_KEEPALIVE_MS,
    scheduling: 'lifo' as const,
    ...tls,
  };
  return {
    requests: new Ctor({ ...common, maxSockets, maxFreeSockets: maxSockets }),
    watches: new Ctor(common),
  };
}

/**
 * httpsTransport sends requests to the kubeconfig's current cluster over node:https (or http when
 * the kubeconfig allows it), with the credentials of credentialedTransport.
 */
export function httpsTransport(kc: KubeConfig, opts: KubeConfigTransportOptions = {}): Transport {
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw new Error('kubeconfig has no current cluster');
  const endpoint = endpointOf(cluster.server, cluster.skipTLSVerify);
  const { userAgent, maxSockets, idleTimeoutMs, connectTimeoutMs } = transportSettings(opts);
  return credentialedTransport<Pools>(kc, {
    open: tls => makePools(endpoint.secure, tls, maxSockets),
    send(p, auth, req) {
      const headers: Record<string, string> = { ...auth, ...req.headers, 'user-agent': userAgent };
      if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
      const streaming = req.method === 'GET' && isWatch(req.path);
      return exchange({
        endpoint,
        agent: streaming ? p.watches : p.requests,
        req,
        headers,
        streaming,
        idleTimeoutMs,
        connectTimeoutMs,
      });
    },
    close(p) {
      p.requests.destroy();
      p.watches.destroy();
      return Promise.resolve();
    },
  });
}
