// A Transport over undici's HTTP/1.1 client, with the semantics of https-transport.ts: two pools
// (plain requests bounded by maxSockets, watches one connection each; undici-pool.ts), the same
// credentials, the same timeouts surfacing as TransportTimeoutError, and aborts that reject with
// the signal's reason. It costs about a third less client CPU per request than node:http's
// ClientRequest and Agent (bench/client-transport.ts).
//
// Each request is dispatched with a handler of this file (Call) rather than through
// Client.request, which wraps every answer in a Readable and an AsyncResource that a plain
// answer, read whole here anyway, does not need, and which learns of an abort only once the
// request is written: a handler that refuses to start drops a request aborted before that
// without destroying the connection it was given.
import { createSecureContext } from 'node:tls';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Client, Dispatcher } from 'undici';
import type { TlsSettings } from './kubeconfig-credentials.ts';
import type { TransportSettings } from './pooled-transport.ts';
import {
  credentialedTransport,
  endpointOf,
  isWatch,
  oneChunk,
  TCP_KEEPALIVE_MS,
  transportSettings,
  TransportTimeoutError,
} from './pooled-transport.ts';
import type { Waiter } from './undici-pool.ts';
import { ClientPool } from './undici-pool.ts';
import { StreamedBody } from './undici-stream.ts';
import type { HttpResponse, KubeConfigTransportOptions, Transport } from './transport.ts';

// Idle pooled connections. The Corral API server closes an idle connection after 65 s
// (api/main.ts keepAliveTimeout) and says so in every answer (`Keep-Alive: timeout=65`); undici
// then keeps the connection for the hint less the threshold, 63 s: far longer than the 5-10 s
// between a hollow agent's Lease renewals, and given up before the server closes it. The 2 s
// threshold covers the server starting its timer when it has written the answer, before we have
// read it, and the next request's way to the server. A server that sends no hint (undici would
// then keep a connection 4 s, a TLS handshake before nearly every renewal) is assumed to keep
// connections 30 s, under the common proxy idle timeouts (60 s and more); a hint longer than
// 10 min is capped.
const KEEP_ALIVE = {
  keepAliveTimeout: 30_000,
  keepAliveMaxTimeout: 600_000,
  keepAliveTimeoutThreshold: 2_000,
} as const;

interface Pools {
  readonly requests: ClientPool;
  readonly watches: ClientPool;
}

/** timeoutOf turns undici's timeouts into the TransportTimeoutError both transports throw. */
function timeoutOf(err: Error, s: TransportSettings): Error {
  switch ((err as { code?: unknown }).code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return new TransportTimeoutError(`the API server sent nothing for ${s.idleTimeoutMs} ms`, {
        cause: err,
      });
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new TransportTimeoutError(`no connection in ${s.connectTimeoutMs} ms`, { cause: err });
    default:
      return err;
  }
}

/** CallSpec is what a Call sends, over which pool, and how its answer is read. */
interface CallSpec {
  readonly pool: ClientPool;
  readonly options: Dispatcher.DispatchOptions;
  readonly signal: AbortSignal | undefined;
  /** streaming resolves at the headers and hands the body out as a stream (watches). */
  readonly streaming: boolean;
  readonly settings: TransportSettings;
}

/**
 * Call is one request: its place in the pool's line, undici's handler for it, and the settling
 * of its `send`. A plain answer is read whole before `send` resolves; a watch resolves at its
 * headers with a StreamedBody. It is the abort listener too (handleEvent), which saves a closure
 * per request.
 */
class Call implements Dispatcher.DispatchHandler, Waiter {
  private readonly spec: CallSpec;
  private readonly resolve: (r: HttpResponse) => void;
  private readonly reject: (e: unknown) => void;
  private client: Client | undefined;
  private controller: Dispatcher.DispatchController | undefined;
  private settled = false;
  private aborted = false;
  private status = 0;
  private chunks: Buffer[] = [];
  private body: StreamedBody | undefined;

  constructor(
    spec: CallSpec,
    settle: { readonly resolve: (r: HttpResponse) => void; readonly reject: (e: unknown) => void },
  ) {
    this.spec = spec;
    this.resolve = settle.resolve;
    this.reject = settle.reject;
    spec.signal?.addEventListener('abort', this, { once: true });
  }

  start(client: Client): void {
    this.client = client;
    client.dispatch(this.spec.options, this);
  }

  fail(e: Error): void {
    this.detach();
    this.settle(e);
  }

  /** handleEvent: the signal aborted. `send`, or the watch stream, fails with its reason now. */
  handleEvent(): void {
    this.aborted = true;
    const reason: unknown = this.spec.signal?.reason;
    // still in line: it leaves the line and never takes a connection; given one but not written
    // yet: the connection serves the next request at once (undici drops this one unsent first)
    if (this.client === undefined) this.spec.pool.withdraw(this);
    else if (this.controller === undefined) this.giveBack(false);
    if (this.body !== undefined) this.body.fail(reason, true);
    else this.settle(reason);
    // written: undici destroys the connection mid-answer; not yet: onRequestStart refuses
    this.controller?.abort(reason as Error);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    // aborted while its connection opened: throwing makes undici drop it unsent and keep the
    // connection, where controller.abort would destroy it
    if (this.aborted) throw new Error('the request was aborted before it was sent');
    this.controller = controller;
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number): void {
    if (statusCode < 200) return; // informational: the answer follows
    this.status = statusCode;
    if (!this.spec.streaming) return;
    const body = new StreamedBody(controller);
    this.body = body;
    this.settled = true;
    this.resolve({ status: statusCode, text: () => body.text(), stream: () => body });
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.body !== undefined) this.body.push(chunk);
    else this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    this.detach();
    this.giveBack(false);
    if (this.body !== undefined) {
      this.body.end();
      return;
    }
    const { chunks, status } = this;
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
    const text = body.toString('utf8');
    this.chunks = [];
    this.settled = true;
    this.resolve({ status, text: () => Promise.resolve(text), stream: () => oneChunk(body) });
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, err: Error): void {
    this.detach();
    this.giveBack(true);
    if (this.aborted) return; // handleEvent settled it with the reason
    const e = timeoutOf(err, this.spec.settings);
    if (this.body !== undefined) this.body.fail(e, false);
    else this.settle(e);
  }

  private settle(e: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(e);
  }

  // giveBack returns the connection to the pool once; after an error not from inside undici's
  // failure handling, which may be iterating the connection's queue
  private giveBack(later: boolean): void {
    const c = this.client;
    if (c === undefined) return;
    this.client = undefined;
    const { pool } = this.spec;
    if (later) queueMicrotask(() => pool.release(c));
    else pool.release(c);
  }

  private detach(): void {
    this.spec.signal?.removeEventListener('abort', this);
  }
}

function openPools(origin: string, tls: TlsSettings, s: TransportSettings): Pools {
  const client: Client.Options = {
    pipelining: 1,
    // the API server speaks HTTP/1.1; offering h2 would only add an ALPN round of guessing
    allowH2: false,
    headersTimeout: s.idleTimeoutMs,
    bodyTimeout: s.idleTimeoutMs,
    ...KEEP_ALIVE,
  };
  // one TLS context for all connections: tls.connect would otherwise build one per connection
  // from the same CA and client certificate (about 0.4 ms of CPU each, a few hundred at a burst)
  const { servername, rejectUnauthorized, ...material } = tls;
  const connect = {
    ...(servername === undefined ? {} : { servername }),
    ...(rejectUnauthorized === undefined ? {} : { rejectUnauthorized }),
    ...(origin.startsWith('https:') ? { secureContext: createSecureContext(material) } : {}),
    allowH2: false,
    timeout: s.connectTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelay: TCP_KEEPALIVE_MS,
  };
  return {
    requests: new ClientPool({ origin, client, connect, limit: s.maxSockets }),
    // no bound: one connection per open watch, so watches never take a request's place
    watches: new ClientPool({ origin, client, connect, limit: Infinity }),
  };
}

/**
 * undiciTransport sends requests to the kubeconfig's current cluster over undici's HTTP/1.1
 * client (https, or http when the kubeconfig allows it), with the options and semantics of
 * httpsTransport.
 */
export function undiciTransport(kc: KubeConfig, opts: KubeConfigTransportOptions = {}): Transport {
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw new Error('kubeconfig has no current cluster');
  const endpoint = endpointOf(cluster.server, cluster.skipTLSVerify);
  const host = endpoint.hostname.includes(':') ? `[${endpoint.hostname}]` : endpoint.hostname;
  const origin = `${endpoint.secure ? 'https' : 'http'}://${host}:${endpoint.port}`;
  const settings = transportSettings(opts);
  const { userAgent } = settings;
  // tls-server-name goes with each request: undici names the server after the request's host
  let servername: { servername?: string } = {};
  return credentialedTransport<Pools>(kc, {
    open(tls) {
      if (tls.servername !== undefined) servername = { servername: tls.servername };
      return openPools(origin, tls, settings);
    },
    send(p, auth, req) {
      const signal = req.signal;
      if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
      const streaming = req.method === 'GET' && isWatch(req.path);
      const options: Dispatcher.DispatchOptions = {
        method: req.method,
        path: endpoint.basePath + req.path,
        headers: { ...auth, ...req.headers, 'user-agent': userAgent },
        ...servername,
        // reset: false, or undici closes the connection after every request that has a body its
        // method does not promise (a DELETE with its DeleteOptions), in case the server did not
        // read it; the API server does, and a TLS handshake per Offer delete costs both sides
        ...(req.body === undefined ? {} : { body: req.body, reset: false }),
      };
      const pool = streaming ? p.watches : p.requests;
      return new Promise<HttpResponse>((resolve, reject) => {
        pool.acquire(new Call({ pool, options, signal, streaming, settings }, { resolve, reject }));
      });
    },
    preconnect(p, count) {
      return p.requests.preconnect(count);
    },
    async close(p) {
      await Promise.all([p.requests.destroy(), p.watches.destroy()]);
    },
  });
}
