// The one place that turns a kubeconfig into HTTP requests. It uses client-node 2.x's own pieces
// (RequestContext + applySecurityAuthentication for TLS and credentials, IsomorphicFetchHttpLibrary
// for its undici fetch) instead of CustomObjectsApi/KubernetesObjectApi: one code path for every
// group including core/v1 (CustomObjectsApi only builds /apis/<group> paths; KubernetesObjectApi
// makes a discovery call per apiVersion), an AbortSignal on every call, raw JSON in and out (no
// generated serializer reshaping dates or adding `status: null`), patch content types chosen per
// call, and streaming bodies for watches.
import {
  IsomorphicFetchHttpLibrary,
  RequestContext,
  type KubeConfig,
} from '@kubernetes/client-node';

/** HttpMethod is the set of verbs the client sends. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** HttpRequest is one call: `path` starts with `/` and carries its query string. */
export interface HttpRequest {
  readonly method: HttpMethod;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal?: AbortSignal;
}

/** HttpResponse is an answer whose body is read once, as text or as a stream. */
export interface HttpResponse {
  readonly status: number;
  text(): Promise<string>;
  stream(): ReadableStream<Uint8Array> | null;
}

/** Transport sends requests to one API server; tests pass a plain object. */
export interface Transport {
  send(req: HttpRequest): Promise<HttpResponse>;
  /** close drops pooled connections; sends after close may fail. */
  close(): Promise<void>;
}

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

/** KubeConfigTransportOptions tune kubeConfigTransport. */
export interface KubeConfigTransportOptions {
  /** userAgent is sent on every call; the server derives the default fieldManager from it. */
  readonly userAgent?: string;
}

/**
 * kubeConfigTransport sends requests to the current context's cluster with its credentials.
 * Credentials are applied per request (exec and OIDC tokens may rotate), but the connection pool
 * (undici dispatcher) is created once and reused: client-node builds a new one on every
 * `applySecurityAuthentication`, which would open a TLS connection per call.
 */
export function kubeConfigTransport(
  kc: KubeConfig,
  opts: KubeConfigTransportOptions = {},
): Transport {
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
