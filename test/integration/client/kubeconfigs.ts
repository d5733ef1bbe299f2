// KubeConfigs for the transport tests: the test API server's cluster with a user of one kind or
// another, built as client-node objects (what a kubeconfig file loads into).
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import type { Cluster, User } from '@kubernetes/client-node';
import type { TestApiServer } from '../../helpers/api-server.ts';

/** ClusterOverrides change the test server's cluster entry. */
export interface ClusterOverrides {
  readonly server?: string;
  readonly caData?: string;
  readonly skipTLSVerify?: boolean;
  /** noCa drops the CA, so the server certificate cannot be verified. */
  readonly noCa?: boolean;
}

/** kubeConfigFor is a KubeConfig of the test server's cluster with `user` as its identity. */
export function kubeConfigFor(
  api: TestApiServer,
  user: Omit<User, 'name'>,
  overrides: ClusterOverrides = {},
): KubeConfig {
  const base = api.kubeConfig.getCurrentCluster();
  if (base === null) throw new Error('the test server kubeconfig has no cluster');
  const caData = overrides.noCa === true ? undefined : (overrides.caData ?? base.caData);
  const cluster: Cluster = {
    name: 'test',
    server: overrides.server ?? base.server,
    skipTLSVerify: overrides.skipTLSVerify ?? base.skipTLSVerify,
    ...(caData === undefined ? {} : { caData }),
    ...(overrides.noCa === true || base.caFile === undefined ? {} : { caFile: base.caFile }),
  };
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ ...user, name: 'tester' }],
    contexts: [{ name: 'test', cluster: 'test', user: 'tester' }],
    currentContext: 'test',
  });
  return kc;
}

/** WatchRequest is a client request that asked for a watch, with the socket it went over. */
export interface WatchRequest {
  readonly socket: Socket | null;
}

/** SocketLog records the client sockets that carried requests, of either transport. */
export interface SocketLog {
  readonly sockets: Set<Socket>;
  /** watches are the client requests that asked for a watch, as they started. */
  readonly watches: WatchRequest[];
  stop(): void;
}

// undici publishes each request it writes, with its socket, on this channel
interface UndiciSendHeaders {
  readonly request: { readonly path: string };
  readonly socket: Socket;
}

/**
 * logSockets watches node:http's diagnostics channels (which socket each response came over,
 * which requests were watches) and undici's (which socket each request was written to). The API
 * server in this process is a server, so only client requests show up.
 */
export function logSockets(): SocketLog {
  const sockets = new Set<Socket>();
  const watches: WatchRequest[] = [];
  const onFinish = (m: unknown): void => {
    const { response } = m as { response: IncomingMessage };
    sockets.add(response.socket);
  };
  const onStart = (m: unknown): void => {
    const { request } = m as { request: ClientRequest };
    if (request.path.includes('watch=true')) watches.push(request);
  };
  const onUndici = (m: unknown): void => {
    const { request, socket } = m as UndiciSendHeaders;
    sockets.add(socket);
    if (request.path.includes('watch=true')) watches.push({ socket });
  };
  subscribe('http.client.response.finish', onFinish);
  subscribe('http.client.request.start', onStart);
  subscribe('undici:client:sendHeaders', onUndici);
  return {
    sockets,
    watches,
    stop() {
      unsubscribe('http.client.response.finish', onFinish);
      unsubscribe('http.client.request.start', onStart);
      unsubscribe('undici:client:sendHeaders', onUndici);
    },
  };
}

/** socketsDuring runs `fn` and returns the client sockets its requests went over. */
export async function socketsDuring(fn: () => Promise<void>): Promise<ReadonlySet<Socket>> {
  const log = logSockets();
  try {
    await fn();
  } finally {
    log.stop();
  }
  return log.sockets;
}
