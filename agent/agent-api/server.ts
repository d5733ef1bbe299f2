// The agent's own HTTP API (exec, attach, logs, standalone containers). It listens on a loopback
// address only and every call but /healthz needs `Authorization: Bearer <token>`, where the token
// is the cluster credential the agent was given (its kubeconfig's): whoever may act on the
// cluster may use the agent API, and nobody off this machine can reach it. Plain HTTP is
// acceptable only because of the loopback rule; listening elsewhere would need TLS first, so it
// is refused rather than done without.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { isIP } from 'node:net';
import type { Logger } from 'pino';

/** Handler answers one matched route; `params` are the route's captured path segments. */
export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  params: readonly string[],
  url: URL,
) => Promise<void>;

/** Route maps a method and a path pattern to a handler. */
export interface Route {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: RegExp;
  readonly handler: Handler;
}

/** AgentApiOptions configure the listener. */
export interface AgentApiOptions {
  readonly host: string;
  readonly port: number;
  readonly token: string;
  readonly routes: readonly Route[];
  readonly logger: Logger;
}

/** RunningAgentApi is a started agent API. */
export interface RunningAgentApi {
  /** url is the base URL clients use, `http://127.0.0.1:<port>`. */
  readonly url: string;
  close(): Promise<void>;
}

/** ApiError is a failure a handler answers with its HTTP code. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

/** isLoopback is true for 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** sendJson answers with a JSON body. */
export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

function authorized(req: IncomingMessage, expected: Buffer): boolean {
  const header = req.headers.authorization ?? '';
  const m = /^Bearer (.+)$/.exec(header);
  return m?.[1] !== undefined && timingSafeEqual(digest(m[1]), expected);
}

/** startAgentApi listens and serves until closed. */
export async function startAgentApi(o: AgentApiOptions): Promise<RunningAgentApi> {
  if (!isLoopback(o.host)) {
    throw new RangeError(
      `agent API host ${o.host} is not a loopback address: the agent API serves plain HTTP, so it listens on loopback only`,
    );
  }
  const expected = digest(o.token);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://agent');
    const outcome = (code: number): void =>
      o.logger.debug({ method: req.method, path: url.pathname, code }, 'agent api request');
    if (url.pathname === '/healthz') {
      res.end('ok');
      return;
    }
    if (!authorized(req, expected)) {
      sendJson(res, 401, { message: 'a bearer token is required' });
      outcome(401);
      return;
    }
    const hits = o.routes.map(r => ({ r, m: r.path.exec(url.pathname) })).filter(h => h.m);
    const hit = hits.find(h => h.r.method === req.method);
    if (hit?.m == null) {
      sendJson(res, hits.length > 0 ? 405 : 404, {
        message: `no route ${req.method} ${url.pathname}`,
      });
      return;
    }
    const params = hit.m.slice(1).map(p => decodeURIComponent(p));
    hit.r.handler(req, res, params, url).then(
      () => outcome(res.statusCode),
      (e: unknown) => {
        const code = e instanceof ApiError ? e.code : 500;
        if (code === 500)
          o.logger.error({ err: e, path: url.pathname }, 'agent api handler failed');
        if (!res.headersSent)
          sendJson(res, code, { message: e instanceof Error ? e.message : String(e) });
        else res.destroy();
        outcome(code);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : o.port;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
