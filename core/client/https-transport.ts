// The default Transport: HTTP/1.1 over node:https keep-alive connections, in two pools. Plain
// requests share a bounded pool (maxSockets); watches get a pool of their own, one connection per
// open watch, because an HTTP/1.1 watch holds its connection for minutes and must not take the
// place of Lease renewals and status writes. Credentials come from client-node (see
// kubeconfig-credentials.ts); the per-request work is one header object and one http.request.
import { Agent as PlainAgent } from 'node:http';
import type { Agent } from 'node:http';
import { Agent as TlsAgent } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { TlsSettings } from './kubeconfig-credentials.ts';
import { credentialsRotate, readCredentials } from './kubeconfig-credentials.ts';
import type { Endpoint } from './node-request.ts';
import { exchange } from './node-request.ts';
import type {
  HttpRequest,
  HttpResponse,
  KubeConfigTransportOptions,
  Transport,
} from './transport.ts';

/** HTTPS_DEFAULTS are the defaults of KubeConfigTransportOptions for this transport. */
export const HTTPS_DEFAULTS = {
  userAgent: 'corral-client',
  maxSockets: 64,
  idleTimeoutMs: 300_000,
  connectTimeoutMs: 10_000,
} as const;

// TCP keep-alive probes after 30 s idle, as client-node sets for undici (its default of 60 s can
// lose the race with a load balancer's 60 s idle timeout).
const TCP_KEEPALIVE_MS = 30_000;

interface Pools {
  readonly requests: Agent;
  readonly watches: Agent;
}

/** isWatch: a kube watch is a GET with `watch=true` (or `1`) in its query string. */
export function isWatch(path: string): boolean {
  const q = path.indexOf('watch=');
  return q > 0 && /[?&]watch=(?:true|1)(?:&|$)/.test(path);
}

function endpointOf(server: string, skipTlsVerify: boolean): Endpoint {
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

function positive(name: string, v: number): number {
  if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${name} must be a positive integer`);
  return v;
}

/**
 * httpsTransport sends requests to the kubeconfig's current cluster over node:https (or http when
 * the kubeconfig allows it). The credentials are read on the first request; a plugin user's
 * (exec, auth-provider) token is read again on every request, where client-node caches it.
 */
export function httpsTransport(kc: KubeConfig, opts: KubeConfigTransportOptions = {}): Transport {
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw new Error('kubeconfig has no current cluster');
  const endpoint = endpointOf(cluster.server, cluster.skipTLSVerify);
  const maxSockets = positive('maxSockets', opts.maxSockets ?? HTTPS_DEFAULTS.maxSockets);
  const idleTimeoutMs = positive(
    'idleTimeoutMs',
    opts.idleTimeoutMs ?? HTTPS_DEFAULTS.idleTimeoutMs,
  );
  const connectTimeoutMs = positive(
    'connectTimeoutMs',
    opts.connectTimeoutMs ?? HTTPS_DEFAULTS.connectTimeoutMs,
  );
  const userAgent = opts.userAgent ?? HTTPS_DEFAULTS.userAgent;
  const rotating = credentialsRotate(kc);
  let pools: Pools | undefined;
  let fixed: Readonly<Record<string, string>> = {};
  let starting: Promise<Pools> | undefined;

  const start = (): Promise<Pools> =>
    (starting ??= readCredentials(kc).then(
      c => {
        pools = makePools(endpoint.secure, c.tls, maxSockets);
        fixed = c.headers;
        return pools;
      },
      (e: unknown) => {
        starting = undefined; // a failing plugin is asked again on the next request
        throw e;
      },
    ));

  const dispatch = (
    p: Pools,
    auth: Readonly<Record<string, string>>,
    req: HttpRequest,
  ): Promise<HttpResponse> => {
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
  };

  const slowSend = async (req: HttpRequest): Promise<HttpResponse> => {
    const p = pools ?? (await start());
    const auth = rotating ? (await readCredentials(kc)).headers : fixed;
    return dispatch(p, auth, req);
  };

  return {
    // the steady state of a static-credential client takes no await before the request is out
    send: req => (pools !== undefined && !rotating ? dispatch(pools, fixed, req) : slowSend(req)),
    async close() {
      // a first request may still be reading credentials: its pools are closed once they exist
      const p = pools ?? (await starting?.catch(() => undefined));
      p?.requests.destroy();
      p?.watches.destroy();
    },
  };
}
