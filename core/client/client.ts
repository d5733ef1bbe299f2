import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../types/meta.ts';
import type { Kind } from './kinds.ts';
import { ResourceClient } from './resource-client.ts';
import type { KubeConfigTransportOptions, Transport } from './transport.ts';
import { kubeConfigTransport } from './transport.ts';

/** ClientOptions are the transport's (KubeConfigTransportOptions) and the client's own. */
export interface ClientOptions extends KubeConfigTransportOptions {
  /**
   * omitManagedFields asks a Corral API server for every object without metadata.managedFields:
   * the answers to reads and writes, lists and watches (its extension; a server without it sends
   * them anyway). For components that never read them, as their informers drop them
   * (WITHOUT_MANAGED_FIELDS): at a Task's size they are half of each answer. An object sent back
   * without them keeps its managers: the server records the write against the stored ones.
   */
  readonly omitManagedFields?: boolean;
}

/**
 * Client is the typed API client: `client.for(corralKinds.offers)` gives the ResourceClient of
 * one kind. Every ResourceClient shares the client's transport (one connection pool).
 */
export class Client {
  private readonly transport: Transport;
  private readonly omitManagedFields: boolean;
  private readonly byKind = new Map<Kind<KubeObject>, ResourceClient<KubeObject>>();

  constructor(transport: Transport, opts: Pick<ClientOptions, 'omitManagedFields'> = {}) {
    this.transport = transport;
    this.omitManagedFields = opts.omitManagedFields === true;
  }

  /** fromKubeConfig talks to the kubeconfig's current context. */
  static fromKubeConfig(kc: KubeConfig, opts: ClientOptions = {}): Client {
    return new Client(kubeConfigTransport(kc, opts), opts);
  }

  /** for returns the (cached) client of one kind. */
  for<T extends KubeObject>(kind: Kind<T>): ResourceClient<T> {
    let rc = this.byKind.get(kind);
    if (rc === undefined) {
      rc = new ResourceClient<T>(kind, this.transport, {
        omitManagedFields: this.omitManagedFields,
      });
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
