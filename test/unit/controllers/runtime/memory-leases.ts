import type { Lease } from '../../../../core/client/index.ts';
import { ClientError } from '../../../../core/client/index.ts';
import type { LeaseStore } from '../../../../controllers/runtime/leader-election.ts';

const err = (reason: 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Transport', code: number) =>
  new ClientError({ reason, code, message: reason });

/** MemoryLeases (a test double) is an API server's lease table: resourceVersions and compare-and-swap. */
export class MemoryLeases {
  rv = 0;
  lease: Lease | undefined;
  /** view is one candidate's connection; `down` cuts it off. */
  view(): LeaseStore & { down: boolean } {
    const store = {
      down: false,
      get: async (): Promise<Lease> => {
        await Promise.resolve();
        if (store.down) throw err('Transport', 0);
        if (this.lease === undefined) throw err('NotFound', 404);
        return structuredClone(this.lease);
      },
      create: async (l: Lease): Promise<Lease> => {
        await Promise.resolve();
        if (store.down) throw err('Transport', 0);
        if (this.lease !== undefined) throw err('AlreadyExists', 409);
        this.lease = {
          ...structuredClone(l),
          metadata: { ...l.metadata, resourceVersion: String(++this.rv) },
        };
        return structuredClone(this.lease);
      },
      update: async (l: Lease): Promise<Lease> => {
        await Promise.resolve();
        if (store.down) throw err('Transport', 0);
        if (this.lease?.metadata.resourceVersion !== l.metadata.resourceVersion)
          throw err('Conflict', 409);
        this.lease = {
          ...structuredClone(l),
          metadata: { ...l.metadata, resourceVersion: String(++this.rv) },
        };
        return structuredClone(this.lease);
      },
    };
    return store;
  }
}
