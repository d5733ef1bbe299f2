// A loopback HTTP server for fetcher tests: serves named bodies, counts requests per path, and
// has routes that misbehave (no Content-Length, errors, stalls).
import type { Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerFixture } from '../../../helpers/fixtures.ts';

/** FileServer is a running server, its files (mutable) and the requests it saw. */
export interface FileServer {
  readonly base: string;
  readonly files: Map<string, Buffer>;
  /** `GET /x` / `HEAD /x` → count. */
  readonly requests: Map<string, number>;
  count(method: string, path: string): number;
  close(): Promise<void>;
}

function serveFile(res: ServerResponse, body: Buffer, head: boolean): void {
  res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' });
  res.end(head ? undefined : body);
}

/** startFileServer listens on 127.0.0.1 and registers its shutdown as a fixture. */
export async function startFileServer(): Promise<FileServer> {
  const files = new Map<string, Buffer>();
  const requests = new Map<string, number>();
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const key = `${req.method ?? ''} ${path}`;
    requests.set(key, (requests.get(key) ?? 0) + 1);
    const head = req.method === 'HEAD';
    if (path === '/error') {
      res.writeHead(500).end('boom');
    } else if (path === '/stall.bin') {
      // Headers and a first byte, then silence: the fetcher's stall timeout must fire.
      res.writeHead(200, { 'content-length': 1000 });
      res.write('x');
      hanging.add(res);
    } else if (path.startsWith('/chunked/')) {
      const body = files.get(path.slice('/chunked'.length));
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      res.end(head ? undefined : body);
    } else {
      const body = files.get(path);
      if (body === undefined) res.writeHead(404).end();
      else serveFile(res, body, head);
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const close = async (): Promise<void> => {
    for (const r of hanging) r.destroy();
    server.closeAllConnections();
    await new Promise<void>(resolve => server.close(() => resolve()));
  };
  const unregister = registerFixture(close);
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    files,
    requests,
    count: (method, path) => requests.get(`${method} ${path}`) ?? 0,
    close: async () => {
      unregister();
      await close();
    },
  };
}
