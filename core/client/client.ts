import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../types/meta.ts';
import type { Kind } from './kinds.ts';
import { ResourceClient } from './resource-client.ts';
import type { KubeConfigTransportOptions, Transport } from './transport.ts';
import { kubeConfigTransport } from './transport.ts';

/**
 * Client is the typed API client: `client.for(corralKinds.offers)` gives the ResourceClient of
 * one kind. Every ResourceClient shares the client's transport (one connection pool).
 */
export class Client {
  private readonly transport: Transport;
  private readonly byKind = new Map<Kind<KubeObject>, ResourceClient<KubeObject>>();

  constructor(transport: Transport) {
    this.transport = transport;
  }

  /** fromKubeConfig talks to the kubeconfig's current context. */
  static fromKubeConfig(kc: KubeConfig, opts: KubeConfigTransportOptions = {}): Client {
    return new Client(kubeConfigTransport(kc, opts));
  }

  /** for returns the (cached) client of one kind. */
  for<T extends KubeObject>(kind: Kind<T>): ResourceClient<T> {
    let rc = this.byKind.get(kind);
    if (rc === undefined) {
      rc = new ResourceClient<T>(kind, this.transport);
      this.byKind.set(kind, rc);
    }
    return rc as unknown as ResourceClient<T>;
  }

  /** preconnect opens up to `count` API connections ahead of a burst (Transport.preconnect). */
  async preconnect(count: number): Promise<number> {
    return (await this.transport.preconnect?.(count)) ?? 0;
  }

  /** close releases pooled connections; call it when the process stops using the API. */
  close(): Promise<void> {
    return this.transport.close();
  }
}
