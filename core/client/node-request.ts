// One HTTP exchange over node:http(s), with the semantics callers had from fetch: the promise
// rejects with the signal's reason once it aborts (and the socket is destroyed, not returned to the
// pool), a failure with no answer rejects with the socket's error, and a streamed body (a watch)
// fails with the signal's reason too. Plain answers are read whole before the promise resolves, so
// a body nobody reads can never hold a pooled connection.
import type { Agent, ClientRequest, IncomingMessage } from 'node:http';
import { request as plainRequest } from 'node:http';
import { request as tlsRequest } from 'node:https';
import type { Socket } from 'node:net';
import type { Endpoint } from './pooled-transport.ts';
import { oneChunk, TransportTimeoutError } from './pooled-transport.ts';
import type { HttpRequest, HttpResponse } from './transport.ts';

/** Exchange is one request with everything decided: pool, complete headers, timeouts. */
export interface Exchange {
  readonly endpoint: Endpoint;
  readonly agent: Agent;
  readonly req: HttpRequest;
  readonly headers: Readonly<Record<string, string>>;
  /** streaming resolves at the headers and hands the body out as a stream (watches). */
  readonly streaming: boolean;
  readonly idleTimeoutMs: number;
  readonly connectTimeoutMs: number;
}

function readBody(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.once('end', () => {
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    });
    res.once('error', reject);
    res.once('close', () => {
      if (!res.complete) reject(new Error('the connection closed before the answer ended'));
    });
  });
}

/** bounded fails a request whose new connection is not up (TCP + TLS) in time. */
function bounded(cr: ClientRequest, x: Exchange): void {
  cr.once('socket', (s: Socket) => {
    if (!s.connecting) return; // a pooled connection
    const t = setTimeout(() => {
      cr.destroy(new TransportTimeoutError(`no connection in ${x.connectTimeoutMs} ms`));
    }, x.connectTimeoutMs);
    const stop = (): void => clearTimeout(t);
    s.once(x.endpoint.secure ? 'secureConnect' : 'connect', stop);
    s.once('close', stop);
  });
}

/** exchange sends one request; see the file comment for how it settles. */
export function exchange(x: Exchange): Promise<HttpResponse> {
  const { req, endpoint } = x;
  const signal = req.signal;
  if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
  return new Promise<HttpResponse>((resolve, reject) => {
    const cr = (endpoint.secure ? tlsRequest : plainRequest)({
      hostname: endpoint.hostname,
      port: endpoint.port,
      path: endpoint.basePath + req.path,
      method: req.method,
      headers: x.headers,
      agent: x.agent,
      timeout: x.idleTimeoutMs,
    });
    let res: IncomingMessage | undefined;
    let settled = false;
    const release = (): void => signal?.removeEventListener('abort', onAbort);
    // an abort reason need not be an Error, but it is what fetch rejected with, so it is passed on
    const fail = (e: Error): void => {
      if (settled) return;
      settled = true;
      release();
      reject(e);
    };
    // destroying with the reason makes a watch's stream (already handed out) fail with it too
    function onAbort(): void {
      const reason = signal?.reason as Error;
      fail(reason);
      if (res === undefined) cr.destroy(reason);
      else res.destroy(reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    cr.on('error', fail);
    cr.on('timeout', () => {
      const e = new TransportTimeoutError(`the API server sent nothing for ${x.idleTimeoutMs} ms`);
      if (res === undefined) cr.destroy(e);
      else res.destroy(e);
    });
    bounded(cr, x);
    cr.on('response', (r: IncomingMessage) => {
      res = r;
      const status = r.statusCode ?? 0;
      if (x.streaming) {
        settled = true;
        // the stream may fail before (or without) anyone reading it; iterators see the error
        r.on('error', () => undefined);
        r.once('close', release);
        resolve({
          status,
          text: async () => (await readBody(r)).toString('utf8'),
          stream: () => r,
        });
        return;
      }
      readBody(r).then(body => {
        if (settled) return;
        settled = true;
        release();
        const text = body.toString('utf8');
        resolve({ status, text: () => Promise.resolve(text), stream: () => oneChunk(body) });
      }, fail);
    });
    cr.end(req.body);
  });
}
