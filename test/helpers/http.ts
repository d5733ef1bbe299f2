import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestApiServer } from './api-server.ts';

/** HttpResult is a raw API response. */
export interface HttpResult {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  /** json parses the body (throws if it is not JSON). */
  json<T = Record<string, unknown>>(): T;
}

/** HttpOptions are the request's method, body and headers. */
export interface HttpOptions {
  readonly method?: string;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** token overrides the admin token; null sends none. */
  readonly token?: string | null;
}

/** apiRequest sends one https request to a test API server (trusting its CA). */
export function apiRequest(
  api: TestApiServer,
  path: string,
  opts: HttpOptions = {},
): Promise<HttpResult> {
  const ca = readFileSync(join(api.dir, 'pki', 'ca.crt'), 'utf8');
  const u = new URL(api.url);
  const payload =
    opts.body === undefined
      ? undefined
      : typeof opts.body === 'string' || Buffer.isBuffer(opts.body)
        ? opts.body
        : JSON.stringify(opts.body);
  const token = opts.token === undefined ? api.token : opts.token;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path,
        method: opts.method ?? 'GET',
        ca,
        headers: {
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...(payload === undefined
            ? {}
            : {
                'content-type': opts.contentType ?? 'application/json',
                // explicit length: Node sends DELETE bodies unframed otherwise
                'content-length': String(Buffer.byteLength(payload)),
              }),
          ...opts.headers,
        },
      },
      res => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: <T>() => JSON.parse(text) as T,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
