// The earlier Transport, over client-node 2.x's own pieces (RequestContext +
// applySecurityAuthentication for TLS and credentials, IsomorphicFetchHttpLibrary for its undici
// fetch). Kept for two reasons: a kubeconfig cluster with a proxy-url (client-node tunnels through
// undici's ProxyAgent; https-transport.ts does not tunnel), and bench/client-transport.ts, which
// measures the node:https transport's client CPU against this one.
import {
  IsomorphicFetchHttpLibrary,
  RequestContext,
  type KubeConfig,
} from '@kubernetes/client-node';
import type { KubeConfigTransportOptions, Transport } from './transport.ts';

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

/**
 * fetchTransport sends requests through client-node's undici fetch. Credentials are applied per
 * request (exec and OIDC tokens may rotate), but the connection pool (undici dispatcher) is
 * created once and reused: client-node builds a new one on every `applySecurityAuthentication`,
 * which would open a TLS connection per call. Only `userAgent` of the options applies.
 */
export function fetchTransport(kc: KubeConfig, opts: KubeConfigTransportOptions = {}): Transport {
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw new Error('kubeconfig has no current cluster');
  const server = cluster.server.replace(/\/+$/, '');
  const http = new IsomorphicFetchHttpLibrary();
  let pool: Dispatcher | undefined;
  return {
    async send(req) {
      const ctx = new RequestContext(server + req.path, req.method);
      await kc.applySecurityAuthentication(ctx);
      pool ??= ctx.getDispatcher();
      if (pool !== undefined) ctx.setDispatcher(pool);
      for (const [k, v] of Object.entries(req.headers)) ctx.setHeaderParam(k, v);
      if (opts.userAgent !== undefined) ctx.setHeaderParam('User-Agent', opts.userAgent);
      if (req.body !== undefined) ctx.setBody(req.body);
      if (req.signal !== undefined) ctx.setSignal(req.signal);
      const res = await http.send(ctx).toPromise();
      return {
        status: res.httpStatusCode,
        text: () => res.body.text(),
        stream: () => res.body.stream(),
      };
    },
    async close() {
      const p = pool as { close?: () => Promise<void> } | undefined;
      pool = undefined;
      await p?.close?.();
    },
  };
}
