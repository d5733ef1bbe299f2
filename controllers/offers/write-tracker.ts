// Read-your-writes for a controller that plans from informer caches: it remembers the objects it
// wrote until its caches show them, so the next plan never starts from a state older than its own
// last write (two answers on one agent planned from a stale cache could both take one persistence
// id, or both shrink one Reservation).
import type { ObjectKey, ReadonlyCache } from '../../core/client/index.ts';
import type { KubeObject } from '../../core/types/index.ts';
import type { Clock } from '../../core/util/clock.ts';

interface Pending {
  readonly kind: string;
  readonly key: ObjectKey;
  /** rv is the written resourceVersion; undefined for a delete. */
  readonly rv: bigint | undefined;
  /** created: the write made the object, so its absence from a cache says nothing yet. */
  readonly created: boolean;
  readonly at: number;
  /** agent the object is on (its spec.agent); undefined when unknown (a delete). */
  readonly agent: string | undefined;
  /** uid of the object deleted, when known: a cached object of that uid is older than the delete. */
  readonly uid?: string;
}

/**
 * Scope narrows a wait to the writes a plan reads: those on its agent and, when given, those in
 * its framework's namespace. A write whose agent is unknown is in every scope.
 */
export interface Scope {
  readonly agent: string;
  readonly namespace?: string;
}

function agentOf(o: KubeObject): string | undefined {
  const agent = (o['spec'] as { agent?: unknown } | undefined)?.agent;
  return typeof agent === 'string' ? agent : undefined;
}

function inScope(p: Pending, scope: Scope | undefined): boolean {
  if (scope === undefined || p.agent === undefined || p.agent === scope.agent) return true;
  return scope.namespace !== undefined && p.key.namespace === scope.namespace;
}

/** TrackedCaches maps a kind to the cache that should show writes of that kind. */
export type TrackedCaches = Readonly<Record<string, ReadonlyCache<KubeObject>>>;

function revision(o: KubeObject | undefined): bigint | undefined {
  try {
    return o?.metadata.resourceVersion === undefined
      ? undefined
      : BigInt(o.metadata.resourceVersion);
  } catch {
    return undefined;
  }
}

const idOf = (kind: string, key: ObjectKey): string => `${kind}/${key.namespace ?? ''}/${key.name}`;

/**
 * WriteTracker remembers writes until the caches show them. A write the caches never show (the
 * object changed hands, or its watch lags badly) is forgotten after `maxWaitMs`.
 */
export class WriteTracker {
  readonly #clock: Clock;
  readonly #maxWaitMs: number;
  readonly #pending = new Map<string, Pending>();

  constructor(clock: Clock, maxWaitMs = 5_000) {
    this.#clock = clock;
    this.#maxWaitMs = maxWaitMs;
  }

  /**
   * written records an object as the API returned it; `created` when the write made it (an
   * update's object missing from the cache was deleted since, and shows nothing stale).
   */
  written(obj: KubeObject, created = false): void {
    const key = { namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' };
    const id = idOf(obj.kind, key);
    const at = this.#clock.now();
    const pending = { kind: obj.kind, key, rv: revision(obj), created, at, agent: agentOf(obj) };
    this.#pending.set(id, pending);
  }

  /** removed records a delete (of the object with `uid`, when given). */
  removed(kind: string, key: ObjectKey, uid?: string): void {
    const k = { namespace: key.namespace ?? '', name: key.name };
    const at = this.#clock.now();
    const pending = {
      kind,
      key: k,
      rv: undefined,
      created: false,
      at,
      agent: undefined,
      ...(uid === undefined ? {} : { uid }),
    };
    this.#pending.set(idOf(kind, k), pending);
  }

  /**
   * isBehind is true when `cached` is older than what this process last wrote of it (or is the
   * very object it deleted): a pass working from it would only fail, or redo what is done.
   */
  isBehind(cached: KubeObject): boolean {
    const key = { namespace: cached.metadata.namespace ?? '', name: cached.metadata.name ?? '' };
    const id = idOf(cached.kind, key);
    const p = this.#pending.get(id);
    if (p === undefined) return false;
    const seen =
      p.rv === undefined
        ? p.uid === undefined || cached.metadata.uid !== p.uid
        : (revision(cached) ?? -1n) >= p.rv;
    if (seen || this.#clock.now() - p.at > this.#maxWaitMs) this.#pending.delete(id);
    return !seen;
  }

  /**
   * caughtUp is true when every remembered write in `scope` (all of them without one) shows in
   * `caches`; shown ones are dropped. Scoped, other workers' writes on other agents (always some
   * in flight when many answers are written at once) do not hold a plan back.
   */
  caughtUp(caches: TrackedCaches, scope?: Scope): boolean {
    const now = this.#clock.now();
    let behind = false;
    for (const [id, p] of this.#pending) {
      const cache = caches[p.kind];
      if (cache === undefined) {
        this.#pending.delete(id);
        continue;
      }
      const cached = cache.get(p.key);
      const seen =
        p.rv === undefined
          ? cached === undefined || cached.metadata.deletionTimestamp !== undefined
          : cached === undefined
            ? !p.created
            : (revision(cached) ?? -1n) >= p.rv;
      if (seen || now - p.at > this.#maxWaitMs) this.#pending.delete(id);
      else if (inScope(p, scope)) behind = true;
    }
    return !behind;
  }
}
