// Test helper: serves an express app on a loopback port 0 (plain or TLS) and closes it fully.
import { createServer as createHttpServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** Served is a listening server's base URL and a close that also drops keep-alive connections. */
export interface Served {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** serve listens on 127.0.0.1 with an OS-chosen port; https when a key and cert are given. */
export async function serve(
  handler: RequestListener,
  tls?: { readonly key: string; readonly cert: string },
): Promise<Served> {
  const server: Server =
    tls === undefined ? createHttpServer(handler) : createHttpsServer(tls, handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
