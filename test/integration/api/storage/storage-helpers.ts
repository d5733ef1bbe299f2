import { createServer, connect, type Server, type Socket } from 'node:net';
import type { KubeObject } from '../../../../core/types/meta.ts';
import { freePort } from '../../../../core/util/free-port.ts';
import { createEtcdStore, type EtcdStore } from '../../../../api/storage/etcd-store.ts';
import type { EtcdStoreOptions } from '../../../../api/storage/etcd-store.ts';
import type {
  StorageError,
  WatchEvent,
  WatchOptions,
  Watcher,
} from '../../../../api/storage/types.ts';
import { registerFixture } from '../../../helpers/fixtures.ts';

/** widget builds a namespaced test object. */
export function widget(
  name: string,
  spec: Record<string, unknown> = {},
  ns = 'default',
): KubeObject {
  return {
    apiVersion: 'corral.dev/v1',
    kind: 'Widget',
    metadata: { name, namespace: ns },
    spec,
  };
}

/** resourcePrefixOf is the widgets' etcd prefix under a test root. */
export function resourcePrefixOf(root: string): string {
  return `${root}/corral.dev/widgets/`;
}

/** keyOf is a widget's etcd key under a test root. */
export function keyOf(root: string, name: string, ns = 'default'): string {
  return `${resourcePrefixOf(root)}${ns}/${name}`;
}

/** openStore creates a store the runner closes even if the test forgets. */
export function openStore(
  endpoint: string,
  opts: Partial<Omit<EtcdStoreOptions, 'endpoints'>> = {},
): EtcdStore {
  const store = createEtcdStore({ endpoints: [endpoint], compactionIntervalMs: 0, ...opts });
  registerFixture(() => store.close());
  return store;
}

/** Collected is a watch whose events and errors are recorded for assertions. */
export interface Collected {
  readonly events: WatchEvent[];
  readonly errors: StorageError[];
  readonly watcher: Watcher;
}

/** collect starts a watch that records everything it receives. */
export function collect(
  store: EtcdStore,
  opts: Omit<WatchOptions, 'onEvent' | 'onError'>,
): Collected {
  const events: WatchEvent[] = [];
  const errors: StorageError[] = [];
  const watcher = store.watch({
    ...opts,
    onEvent: ev => events.push(ev),
    onError: err => errors.push(err),
  });
  return { events, errors, watcher };
}

/** eventually retries an assertion until it passes or the timeout runs out. */
export async function eventually(check: () => void, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise(resolve => setTimeout(resolve, 20));
    }
  }
}

/** summary renders events compactly for deep-equal assertions. */
export function summary(events: readonly WatchEvent[]): string[] {
  return events.map(e => `${e.type} ${e.object.metadata.name ?? ''} ${e.rv}`);
}

/**
 * TcpProxy stands between a store and etcd so a test can cut the connection (every socket
 * dropped, new ones refused) and restore it, simulating a network partition on loopback.
 */
export interface TcpProxy {
  readonly endpoint: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** startProxy forwards a free loopback port to the etcd endpoint given. */
export async function startProxy(target: string): Promise<TcpProxy> {
  const url = new URL(target);
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      if (server !== undefined) {
        resolve(); // already forwarding
        return;
      }
      const s = createServer(client => {
        const upstream = connect({ host: url.hostname, port: Number(url.port) });
        for (const sock of [client, upstream]) {
          sockets.add(sock);
          sock.on('close', () => sockets.delete(sock));
          sock.on('error', () => sock.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
      server = s;
    });
  const stop = async (): Promise<void> => {
    const s = server;
    server = undefined;
    for (const sock of sockets) sock.destroy();
    if (s !== undefined) await new Promise(resolve => s.close(resolve));
  };
  await listen();
  const proxy: TcpProxy = {
    endpoint: `http://127.0.0.1:${port}`,
    cut: stop,
    restore: listen,
    close: stop,
  };
  registerFixture(() => proxy.close());
  return proxy;
}
