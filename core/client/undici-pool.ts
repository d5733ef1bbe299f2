// The connection pool of undici-transport.ts: undici Clients (one HTTP/1.1 connection each, which
// it reopens when needed) handed out by this file rather than by undici's Pool, for two reasons.
// undici's Pool counts a connection busy until a full event-loop turn after its answer ended, so
// a caller that sends its next request at once (a Lease GET, then its PUT) is given a second
// connection, and every sequential caller holds two. And a request that waits for a connection in
// undici's Pool cannot leave the line when it is aborted; here it is taken out at once.
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
  private closed = false;

  constructor(options: PoolOptions) {
    this.options = options;
    // one connector for all connections, so they share its TLS session cache (resumption)
    this.clientOptions = { ...options.client, connect: buildConnector(options.connect) };
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
    await Promise.all(this.clients.splice(0).map(c => c.destroy()));
  }

  private open(): Client | undefined {
    if (this.clients.length >= this.options.limit) return undefined;
    const c = new Client(this.options.origin, this.clientOptions);
    this.clients.push(c);
    return c;
  }
}
