// The seam between the typed client and HTTP: the Transport interface, and kubeConfigTransport,
// which picks the implementation for a kubeconfig. The default is undici's HTTP/1.1 Client
// (undici-transport.ts): about 90 µs of client CPU per request at 16 in flight, against 140-160
// over node:https (https-transport.ts, the one before, kept as the bench's baseline) and 270-280
// over client-node's undici fetch (bench/client-transport.ts): a large share of a hollow fleet's
// machine at hundreds of Lease renewals a second. Only a cluster behind a proxy-url goes through
// fetch-transport.ts.
import type { KubeConfig } from '@kubernetes/client-node';
import { fetchTransport } from './fetch-transport.ts';
import { undiciTransport } from './undici-transport.ts';

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

/**
 * HttpResponse is an answer whose body is read once, as text or as a stream of chunks (a watch).
 * Stopping an iteration of the stream early releases it (and its connection).
 */
export interface HttpResponse {
  readonly status: number;
  text(): Promise<string>;
  stream(): AsyncIterable<Uint8Array> | null;
}

/**
 * Transport sends requests to one API server; tests pass a plain object. Once a request's signal
 * aborts, `send`, `text` and the stream reject with the signal's reason, as fetch does.
 */
export interface Transport {
  send(req: HttpRequest): Promise<HttpResponse>;
  /**
   * preconnect opens up to `count` connections for plain requests before they are needed, so a
   * burst does not wait on that many TLS handshakes at once; resolves with how many it opened.
   * A transport without a pool of its own opens none.
   */
  preconnect?(count: number): Promise<number>;
  /** close drops pooled connections; sends after close may fail. */
  close(): Promise<void>;
}

/** KubeConfigTransportOptions tune kubeConfigTransport. */
export interface KubeConfigTransportOptions {
  /**
   * userAgent is sent on every call; the server derives the default fieldManager from it.
   * Default `corral-client`.
   */
  readonly userAgent?: string;
  /**
   * maxSockets bounds the connections plain requests use (more wait in line). Watches have a pool
   * of their own, one connection each, so a long watch never holds a request's place. Default 64.
   */
  readonly maxSockets?: number;
  /**
   * idleTimeoutMs fails a request whose connection stays silent this long, waiting for headers
   * or between body chunks; watches get a heartbeat every 10 s. Default 300 000, as undici.
   */
  readonly idleTimeoutMs?: number;
  /** connectTimeoutMs fails a request whose connection (TCP + TLS) takes longer. Default 10 000. */
  readonly connectTimeoutMs?: number;
}

/**
 * kubeConfigTransport sends requests to the current context's cluster with its credentials (CA,
 * client certificate, bearer token, token file, exec or auth-provider plugin, basic auth,
 * insecure-skip-tls-verify), over keep-alive undici connections.
 */
export function kubeConfigTransport(
  kc: KubeConfig,
  opts: KubeConfigTransportOptions = {},
): Transport {
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw new Error('kubeconfig has no current cluster');
  // client-node tunnels through a proxy with undici's ProxyAgent; our pools would need a
  // tunnelling connector of their own, and no Corral deployment uses one, so fetch keeps that case.
  if (cluster.proxyUrl !== undefined && cluster.proxyUrl !== '') return fetchTransport(kc, opts);
  return undiciTransport(kc, opts);
}
