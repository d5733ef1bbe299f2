// The connection pool of undici-transport.ts: undici Clients (one HTTP/1.1 connection each, which
// it reopens when needed) handed out by this file rather than by undici's Pool, for two reasons.
// undici's Pool counts a connection busy until a full event-loop turn after its answer ended, so
// a caller that sends its next request at once (a Lease GET, then its PUT) is given a second
// connection, and every sequential caller holds two. And a request that waits for a connection in
// undici's Pool cannot leave the line when it is aborted; here it is taken out at once.
//
// A pool can open connections ahead of its first burst (preconnect): each one opened on demand
// costs a TLS handshake at the moment the load arrives, and a few hundred of them at once take
// seconds to complete against a busy API server while their requests wait. undici opens a
// Client's connection only for a request, so the pool connects sockets itself through the same
// connector and hands them to the next Clients it opens.
import type { Socket } from 'node:net';
import { buildConnector, Client } from 'undici';

/** Waiter is a request that needs a connection. */
export interface Waiter {
  /** start sends the request over `client`; its end hands the client back by `release`. */
  start(client: Client): void;
  /** fail ends a request that will get no connection (the pool was closed). */
  fail(e: Error): void;
}

/** PoolOptions are a ClientPool's connection settings and its bound. */
export interface PoolOptions {
  readonly origin: string;
  /** client are the options of each connection, less `connect`. */
  readonly client: Omit<Client.Options, 'connect'>;
  readonly connect: buildConnector.BuildOptions;
  /** limit bounds the connections; more requests wait in line (first come, first served). */
  readonly limit: number;
}

const closed = (): Error => new Error('the transport is closed');

/**
 * ClientPool hands out connections: the one released last first (so the busiest stay warm and
 * the spare ones idle out), a new one under the limit, or a place in line.
 */
export class ClientPool {
  private readonly options: PoolOptions;
  private readonly clientOptions: Client.Options;
  private readonly clients: Client[] = [];
  private readonly idle: Client[] = [];
  private readonly line: Waiter[] = [];
  /** ready are connected sockets no Client has taken yet (preconnect), with their close hook. */
  private readonly ready: { readonly socket: Socket; readonly drop: () => void }[] = [];
  private readonly connector: buildConnector.connector;
  private closed = false;

  constructor(options: PoolOptions) {
    this.options = options;
    // one connector for all connections, so they share its TLS session cache (resumption)
    this.connector = buildConnector(options.connect);
    this.clientOptions = {
      ...options.client,
      connect: (opts, callback) => {
        const socket = this.takeReady();
        if (socket === undefined) this.connector(opts, callback);
        // never in the caller's turn: undici, still inside its resume loop, would not see the
        // connection and leave the request waiting
        else queueMicrotask(() => callback(null, socket));
      },
    };
  }

  /**
   * preconnect opens connections ahead of need, up to `count` in all (those open and those
   * ready) and within the limit; the next Clients the pool opens take them instead of connecting.
   * Resolves with how many it opened; a connection that fails is not retried (requests still
   * connect on demand).
   */
  async preconnect(count: number): Promise<number> {
    const url = new URL(this.options.origin);
    const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    // the server name the requests give is the connection settings' (undici-transport.ts)
    const { connect } = this.options;
    const servername = 'servername' in connect ? connect.servername : undefined;
    const opts: buildConnector.Options = {
      host: url.host,
      hostname,
      protocol: url.protocol,
      port: url.port,
      ...(servername === undefined ? {} : { servername }),
    };
    const wanted = Math.min(count, this.options.limit) - this.clients.length - this.ready.length;
    const opened = await Promise.all(
      Array.from(
        { length: Math.max(0, wanted) },
        () =>
          new Promise<boolean>(resolve => {
            this.connector(opts, (err, socket) => {
              if (err !== null) resolve(false);
              else resolve(this.keepReady(socket));
            });
          }),
      ),
    );
    return opened.filter(Boolean).length;
  }

  /** acquire starts `w` on a free connection or puts it in line. */
  acquire(w: Waiter): void {
    if (this.closed) {
      w.fail(closed());
      return;
    }
    const c = this.idle.pop() ?? this.open();
    if (c === undefined) this.line.push(w);
    else w.start(c);
  }

  /** release hands a finished request's connection to the first in line, or keeps it. */
  release(c: Client): void {
    if (this.closed) return;
    const next = this.line.shift();
    if (next === undefined) this.idle.push(c);
    else next.start(c);
  }

  /** withdraw takes a waiter out of line (its request was aborted); it is not started later. */
  withdraw(w: Waiter): void {
    const i = this.line.indexOf(w);
    if (i >= 0) this.line.splice(i, 1);
  }

  /** destroy drops every connection; requests under way fail, those in line too. */
  async destroy(): Promise<void> {
    this.closed = true;
    for (const w of this.line.splice(0)) w.fail(closed());
    this.idle.length = 0;
    for (const r of this.ready.splice(0)) r.socket.destroy();
    await Promise.all(this.clients.splice(0).map(c => c.destroy()));
  }

  // keepReady holds a preconnected socket until a Client takes it. It reads the socket meanwhile,
  // or a close by the server would stay unread behind it: one the server closes (or that gets
  // bytes nobody asked for) is dropped. Its error needs a listener until undici brings its own.
  private keepReady(socket: Socket): boolean {
    if (this.closed || socket.destroyed) {
      socket.destroy();
      return false;
    }
    const drop = (): void => {
      socket.destroy();
      const i = this.ready.findIndex(r => r.socket === socket);
      if (i >= 0) this.ready.splice(i, 1);
    };
    socket.on('data', drop).on('end', drop).on('error', drop).on('close', drop);
    this.ready.push({ socket, drop });
    return true;
  }

  // takeReady hands out a held socket, paused again for undici, which reads on 'readable'
  private takeReady(): Socket | undefined {
    for (let r = this.ready.pop(); r !== undefined; r = this.ready.pop()) {
      const { socket, drop } = r;
      socket.off('data', drop).off('end', drop).off('error', drop).off('close', drop);
      socket.pause();
      if (!socket.destroyed) return socket;
    }
    return undefined;
  }

  private open(): Client | undefined {
    if (this.clients.length >= this.options.limit) return undefined;
    const c = new Client(this.options.origin, this.clientOptions);
    this.clients.push(c);
    return c;
  }
}
