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
  /** every remembered write by id, oldest first (a newer write of an id moves it to the end) */
  readonly #pending = new Map<string, Pending>();
  /** the ids of #pending by agent ('' for unknown), so a scoped wait looks at its own only */
  readonly #byAgent = new Map<string, Set<string>>();

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
    const at = this.#clock.now();
    this.#remember(idOf(obj.kind, key), {
      kind: obj.kind,
      key,
      rv: revision(obj),
      created,
      at,
      agent: agentOf(obj),
    });
  }

  /**
   * removed records a delete: of the object with `of.uid` when given, on `of.agent` when known
   * (a delete of unknown agent is in every scope).
   */
  removed(kind: string, key: ObjectKey, of: { uid?: string; agent?: string } = {}): void {
    const k = { namespace: key.namespace ?? '', name: key.name };
    const at = this.#clock.now();
    this.#remember(idOf(kind, k), {
      kind,
      key: k,
      rv: undefined,
      created: false,
      at,
      agent: of.agent,
      ...(of.uid === undefined ? {} : { uid: of.uid }),
    });
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
    if (seen || this.#clock.now() - p.at > this.#maxWaitMs) this.#forget(id, p);
    return !seen;
  }

  /**
   * caughtUp is true when every remembered write in `scope` (all of them without one) shows in
   * `caches`; shown ones are dropped. Scoped to an agent, it looks only at the writes on that
   * agent and those of unknown agent: other workers' writes elsewhere (thousands in flight when
   * many answers are written at once) neither hold a plan back nor cost it a look.
   */
  caughtUp(caches: TrackedCaches, scope?: Scope): boolean {
    this.#expire();
    if (scope === undefined || scope.namespace !== undefined) {
      let behind = false;
      for (const [id, p] of this.#pending)
        if (!this.#shown(id, p, caches) && inScope(p, scope)) behind = true;
      return !behind;
    }
    let behind = false;
    for (const agent of [scope.agent, '']) {
      for (const id of [...(this.#byAgent.get(agent) ?? [])]) {
        const p = this.#pending.get(id);
        if (p !== undefined && !this.#shown(id, p, caches)) behind = true;
      }
    }
    return !behind;
  }

  // shown tells whether the caches show write p (forgetting it if so, or if it waited too long)
  #shown(id: string, p: Pending, caches: TrackedCaches): boolean {
    const cache = caches[p.kind];
    const cached = cache?.get(p.key);
    const seen =
      cache === undefined ||
      (p.rv === undefined
        ? cached === undefined || cached.metadata.deletionTimestamp !== undefined
        : cached === undefined
          ? !p.created
          : (revision(cached) ?? -1n) >= p.rv);
    if (seen || this.#clock.now() - p.at > this.#maxWaitMs) {
      this.#forget(id, p);
      return true;
    }
    return false;
  }

  #remember(id: string, p: Pending): void {
    const old = this.#pending.get(id);
    if (old !== undefined) this.#forget(id, old);
    this.#pending.set(id, p);
    const agent = p.agent ?? '';
    const ids = this.#byAgent.get(agent) ?? new Set<string>();
    ids.add(id);
    this.#byAgent.set(agent, ids);
    this.#expire();
  }

  #forget(id: string, p: Pending): void {
    this.#pending.delete(id);
    const agent = p.agent ?? '';
    const ids = this.#byAgent.get(agent);
    ids?.delete(id);
    if (ids?.size === 0) this.#byAgent.delete(agent);
  }

  // the oldest writes first: those past the wait are dropped, whether or not anyone looked
  #expire(): void {
    const now = this.#clock.now();
    for (const [id, p] of this.#pending) {
      if (now - p.at <= this.#maxWaitMs) return;
      this.#forget(id, p);
    }
  }
}
