// The failover timeouts of the Frameworks this controller has seen, kept after a Framework is
// deleted: a deleted object's spec is gone from the API, yet its failover timeout decides how long
// its tasks survive it.
import type { InformerHandlers } from '../../core/client/index.ts';
import type { Framework } from '../../core/types/index.ts';

/** FrameworkSource is the informer the memory listens to. */
export interface FrameworkSource {
  on(handlers: InformerHandlers<Framework>): () => void;
}

const keyOf = (namespace: string, name: string): string => `${namespace}/${name}`;

/** FrameworkMemory remembers each Framework's failoverTimeoutSeconds, deleted ones included. */
export class FrameworkMemory {
  readonly #timeouts = new Map<string, number>();

  /** The memory subscribes for the life of the process. */
  constructor(source: FrameworkSource) {
    const remember = (f: Framework): void => {
      const key = keyOf(f.metadata.namespace ?? '', f.metadata.name ?? '');
      this.#timeouts.set(key, f.spec.failoverTimeoutSeconds ?? 0);
    };
    source.on({ add: remember, update: (_old, f) => remember(f), delete: remember });
  }

  /** failoverTimeoutSeconds of a framework seen by this process, or undefined. */
  failoverTimeoutSeconds(namespace: string, name: string): number | undefined {
    return this.#timeouts.get(keyOf(namespace, name));
  }
}
