// What the pooled transports (undici-transport.ts, the default, and https-transport.ts, the
// bench's baseline) share: the option defaults and their checks, the endpoint rules of a
// kubeconfig's server URL, how a watch is told from a plain request, the timeout error both
// throw, and the credential lifecycle (credentialedTransport) each builds its pools inside.
import { Readable } from 'node:stream';
import type { KubeConfig } from '@kubernetes/client-node';
import type { TlsSettings } from './kubeconfig-credentials.ts';
import { credentialsRotate, readCredentials } from './kubeconfig-credentials.ts';
import type {
  HttpRequest,
  HttpResponse,
  KubeConfigTransportOptions,
  Transport,
} from './transport.ts';

/** TRANSPORT_DEFAULTS are the defaults of KubeConfigTransportOptions. */
export const TRANSPORT_DEFAULTS = {
  userAgent: 'corral-client',
  maxSockets: 64,
  idleTimeoutMs: 300_000,
  connectTimeoutMs: 10_000,
} as const;

/**
 * TCP_KEEPALIVE_MS: TCP keep-alive probes after 30 s idle, as client-node sets for undici (its
 * default of 60 s can lose the race with a load balancer's 60 s idle timeout).
 */
export const TCP_KEEPALIVE_MS = 30_000;

/** Endpoint is the API server's address, as parsed once from the kubeconfig. */
export interface Endpoint {
  readonly secure: boolean;
  readonly hostname: string;
  readonly port: string;
  /** basePath is the server URL's path without a trailing slash ('' for most servers). */
  readonly basePath: string;
}

/** TransportTimeoutError is a connection that took too long to open or fell silent. */
export class TransportTimeoutError extends Error {
  override readonly name = 'TransportTimeoutError';
  readonly code = 'ETIMEDOUT';
}

/** oneChunk is a read body as a stream, for the rare caller that streams a plain answer. */
export const oneChunk = (body: Buffer): AsyncIterable<Uint8Array> =>
  Readable.from(body.length > 0 ? [body] : []);

/** isWatch: a kube watch is a GET with `watch=true` (or `1`) in its query string. */
export function isWatch(path: string): boolean {
  const q = path.indexOf('watch=');
  return q > 0 && /[?&]watch=(?:true|1)(?:&|$)/.test(path);
}

/** endpointOf parses the kubeconfig's server URL; plain http only with insecure-skip-tls-verify. */
export function endpointOf(server: string, skipTlsVerify: boolean): Endpoint {
  const url = new URL(server);
  const secure = url.protocol === 'https:';
  if (!secure && url.protocol !== 'http:')
    throw new Error(`unsupported API server URL scheme ${url.protocol}`);
  // the same rule as client-node: plain HTTP only when the kubeconfig opts out of verification
  if (!secure && !skipTlsVerify)
    throw new Error('HTTP protocol is not allowed when skipTLSVerify is not set or false');
  return {
    secure,
    // URL keeps IPv6 brackets, which the socket layer does not want
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? (secure ? '443' : '80') : url.port,
    basePath: url.pathname.replace(/\/+$/, ''),
  };
}

function positive(name: string, v: number): number {
  if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${name} must be a positive integer`);
  return v;
}

/** TransportSettings are KubeConfigTransportOptions with the defaults filled in, checked. */
export type TransportSettings = Required<KubeConfigTransportOptions>;

/** transportSettings fills in TRANSPORT_DEFAULTS and rejects a count or timeout that is not positive. */
export function transportSettings(opts: KubeConfigTransportOptions): TransportSettings {
  return {
    userAgent: opts.userAgent ?? TRANSPORT_DEFAULTS.userAgent,
    maxSockets: positive('maxSockets', opts.maxSockets ?? TRANSPORT_DEFAULTS.maxSockets),
    idleTimeoutMs: positive(
      'idleTimeoutMs',
      opts.idleTimeoutMs ?? TRANSPORT_DEFAULTS.idleTimeoutMs,
    ),
    connectTimeoutMs: positive(
      'connectTimeoutMs',
      opts.connectTimeoutMs ?? TRANSPORT_DEFAULTS.connectTimeoutMs,
    ),
  };
}

/** Headers are a request's headers, lower-case names where the transport adds them. */
type Headers = Readonly<Record<string, string>>;

/** PooledSender is what a transport builds its pools with and sends a request over them by. */
export interface PooledSender<P> {
  /** open builds the connection pools, once, when the kubeconfig's TLS settings are known. */
  open(tls: TlsSettings): P;
  /** send sends `req` with the credential headers `auth` (Authorization, Impersonate-User). */
  send(pools: P, auth: Headers, req: HttpRequest): Promise<HttpResponse>;
  /** preconnect opens plain requests' connections ahead of need (absent: it opens none). */
  preconnect?(pools: P, count: number): Promise<number>;
  /** close drops the pools' connections. */
  close(pools: P): Promise<void>;
}

/**
 * credentialedTransport is the credential lifecycle both pooled transports share: the
 * credentials are read on the first request, and the pools opened with their TLS settings; a
 * plugin user's (exec, auth-provider) token is read again on every request, where client-node
 * caches it. The steady state of a static-credential client takes no await before the request.
 */
export function credentialedTransport<P>(kc: KubeConfig, sender: PooledSender<P>): Transport {
  const rotating = credentialsRotate(kc);
  let pools: P | undefined;
  let fixed: Headers = {};
  let starting: Promise<P> | undefined;

  const start = (): Promise<P> =>
    (starting ??= readCredentials(kc).then(
      c => {
        pools = sender.open(c.tls);
        fixed = c.headers;
        return pools;
      },
      (e: unknown) => {
        starting = undefined; // a failing plugin is asked again on the next request
        throw e;
      },
    ));

  const slowSend = async (req: HttpRequest): Promise<HttpResponse> => {
    const p = pools ?? (await start());
    const auth = rotating ? (await readCredentials(kc)).headers : fixed;
    return sender.send(p, auth, req);
  };

  return {
    send: req =>
      pools !== undefined && !rotating ? sender.send(pools, fixed, req) : slowSend(req),
    async preconnect(count) {
      if (sender.preconnect === undefined) return 0;
      return sender.preconnect(pools ?? (await start()), count);
    },
    async close() {
      // a first request may still be reading credentials: its pools are closed once they exist
      const p = pools ?? (await starting?.catch(() => undefined));
      if (p !== undefined) await sender.close(p);
    },
  };
}
