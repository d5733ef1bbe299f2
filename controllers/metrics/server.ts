// The controllers' plain-HTTP endpoint (kube-controller-manager's /healthz, /readyz, /metrics):
// GET only, no authentication, so it binds to loopback unless the operator says otherwise.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { Logger } from 'pino';
import { assertNever } from '../../core/util/assert-never.ts';
import { formatBindAddress } from './bind-address.ts';

/** Check is the outcome of a health or readiness check; `reason` becomes the 500's body. */
export type Check = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** HealthSource answers the two probes. */
export interface HealthSource {
  /** health: false once the process is stopping or a component failed (restart it). */
  health(): Check;
  /** readiness: true once the caches it works from are synced. */
  readiness(): Check;
}

/** MetricsSource renders the registry. */
export interface MetricsSource {
  text(): Promise<string>;
  readonly contentType: string;
}

/** ServingOptions say where to listen and what to serve. */
export interface ServingOptions {
  readonly host: string;
  /** port: 0 lets the kernel pick one (see `Serving.port`). */
  readonly port: number;
  readonly health: HealthSource;
  readonly metrics: MetricsSource;
  readonly logger: Logger;
}

/** Serving is a listening endpoint. */
export interface Serving {
  /** port is the one actually bound. */
  readonly port: number;
  /** close stops listening and drops open (keep-alive) connections. */
  close(): Promise<void>;
}

/** serveHealthAndMetrics listens on host:port; it rejects if the address cannot be bound. */
export async function serveHealthAndMetrics(o: ServingOptions): Promise<Serving> {
  const server = createServer((req, res) => {
    handle(o, req, res).catch((err: unknown) => {
      o.logger.warn({ err, path: req.url }, 'metrics endpoint failed to answer');
      if (!res.headersSent) reply(res, 500, 'internal error');
      else res.destroy();
    });
  });
  await listen(server, o.host, o.port);
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : o.port;
  o.logger.info(
    { address: formatBindAddress(o.host, port) },
    'serving /healthz, /readyz, /metrics',
  );
  return {
    port,
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(o: ServingOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const route = ROUTES[path];
  if (route === undefined) {
    reply(res, 404, 'not found');
    return;
  }
  // HEAD is GET without the body (node leaves the body out); nothing here changes state
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    reply(res, 405, 'method not allowed');
    return;
  }
  switch (route) {
    case 'healthz':
      answerCheck(res, o.health.health());
      return;
    case 'readyz':
      answerCheck(res, o.health.readiness());
      return;
    case 'metrics': {
      const body = await o.metrics.text();
      res.writeHead(200, { 'content-type': o.metrics.contentType });
      res.end(body);
      return;
    }
    default:
      assertNever(route, 'route');
  }
}

const ROUTES: Readonly<Record<string, 'healthz' | 'readyz' | 'metrics' | undefined>> = {
  '/healthz': 'healthz',
  '/readyz': 'readyz',
  '/metrics': 'metrics',
};

function answerCheck(res: ServerResponse, c: Check): void {
  if (c.ok) reply(res, 200, 'ok');
  else reply(res, 500, c.reason);
}

function reply(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (err: Error): void =>
      reject(new Error(`cannot serve metrics on ${formatBindAddress(host, port)}: ${err.message}`));
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
}
