// Objects of one kind grouped by the agent they are bound to (spec.agent), kept current from an
// informer, so that an agent's event reaches its Tasks, Operations, Reservations and Volumes
// without scanning every object of the cluster.
import type { InformerHandlers, ObjectKey, ReadonlyCache } from '../../core/client/index.ts';
import type { KubeObject } from '../../core/types/index.ts';

/** IndexSource is what an index needs of an informer: its events and its cache. */
export interface IndexSource<T extends KubeObject> {
  on(handlers: InformerHandlers<T>): () => void;
  readonly cache: ReadonlyCache<T>;
}

const keyOf = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

function objectKey(key: string): ObjectKey {
  const i = key.indexOf('/');
  const namespace = key.slice(0, i);
  const name = key.slice(i + 1);
  return namespace === '' ? { name } : { namespace, name };
}

/** ByAgentIndex keeps the keys of one kind's objects grouped by their agent. */
export class ByAgentIndex<T extends KubeObject> {
  readonly #cache: ReadonlyCache<T>;
  readonly #agentOf: (o: T) => string | undefined;
  readonly #byAgent = new Map<string, Set<string>>();
  readonly #agentOfKey = new Map<string, string>();

  /** The index subscribes for the life of the process; `agentOf` reads an object's agent. */
  constructor(source: IndexSource<T>, agentOf: (o: T) => string | undefined) {
    this.#cache = source.cache;
    this.#agentOf = agentOf;
    source.on({
      add: o => this.#put(o),
      update: (_old, o) => this.#put(o),
      delete: o => this.#drop(keyOf(o)),
    });
  }

  /** keys lists the objects bound to `agent` as ObjectKeys. */
  keys(agent: string): ObjectKey[] {
    return [...(this.#byAgent.get(agent) ?? [])].map(objectKey);
  }

  /** list returns the cached objects bound to `agent` (frozen). */
  list(agent: string): T[] {
    return this.keys(agent).flatMap(k => {
      const o = this.#cache.get(k);
      return o === undefined ? [] : [o];
    });
  }

  #put(o: T): void {
    const key = keyOf(o);
    const agent = this.#agentOf(o);
    if (this.#agentOfKey.get(key) === agent) return;
    this.#drop(key);
    if (agent === undefined) return;
    this.#agentOfKey.set(key, agent);
    let set = this.#byAgent.get(agent);
    if (set === undefined) this.#byAgent.set(agent, (set = new Set()));
    set.add(key);
  }

  #drop(key: string): void {
    const agent = this.#agentOfKey.get(key);
    if (agent === undefined) return;
    this.#agentOfKey.delete(key);
    const set = this.#byAgent.get(agent);
    set?.delete(key);
    if (set?.size === 0) this.#byAgent.delete(agent);
  }
}
