// The order a new leader's model sees objects in: events held until the lists are read, then
// applied through a guard so that no state older than what the lists showed reaches the model.
import type { InformerHandlers, ObjectList } from '../../core/client/index.ts';
import type { KubeObject } from '../../core/types/meta.ts';
import { assertNever } from '../../core/util/assert-never.ts';
import type { KindHandlers } from './api-adapter.ts';

type Held<T> =
  | { readonly type: 'add'; readonly obj: T }
  | { readonly type: 'update'; readonly old: T; readonly obj: T }
  | { readonly type: 'delete'; readonly obj: T };

/** Relay holds an informer's events until it has somewhere to send them. */
export class Relay<T extends KubeObject> implements InformerHandlers<T> {
  #held: Held<T>[] = [];
  #to: InformerHandlers<T> | undefined;

  readonly add = (obj: T): void => this.#pass({ type: 'add', obj });
  readonly update = (old: T, obj: T): void => this.#pass({ type: 'update', old, obj });
  readonly delete = (obj: T): void => this.#pass({ type: 'delete', obj });

  start(to: InformerHandlers<T>): void {
    this.#to = to;
    const held = this.#held;
    this.#held = [];
    for (const e of held) this.#pass(e);
  }

  #pass(e: Held<T>): void {
    const to = this.#to;
    if (to === undefined) {
      this.#held.push(e);
      return;
    }
    switch (e.type) {
      case 'add':
        to.add?.(e.obj);
        break;
      case 'update':
        to.update?.(e.old, e.obj);
        break;
      case 'delete':
        to.delete?.(e.obj);
        break;
      default:
        assertNever(e, 'held event');
    }
  }
}

const keyOf = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

/** revision reads a resourceVersion as the etcd revision it is; undefined if it is not one. */
function revision(rv: string | undefined): number | undefined {
  const n = rv === undefined || rv === '' ? NaN : Number(rv);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** newer: `a` is a later state than `b` (true when either version is not comparable). */
function newer(a: KubeObject, b: KubeObject): boolean {
  const x = revision(a.metadata.resourceVersion);
  const y = revision(b.metadata.resourceVersion);
  return x === undefined || y === undefined || x > y;
}

/**
 * guarded wraps handlers so they see each object's states in order, starting from the list:
 *  - add or update of a listed (or since applied) object: applied as an update from the last
 *    applied state, only if newer (the informer's replay of an older cache is dropped);
 *  - add of an unknown object at or below the list's revision: it was deleted before the list
 *    (a lagging cache), dropped;
 *  - delete: applied once, unless it is of an older incarnation (another uid) of the name.
 * Resource versions are compared as etcd revisions, which Corral's (and kube's) are.
 */
export function guarded<T extends KubeObject>(
  h: KindHandlers<T>,
  list: ObjectList<T>,
): InformerHandlers<T> {
  const listedAt = revision(list.metadata.resourceVersion);
  const applied = new Map<string, T>();
  for (const o of list.items) applied.set(keyOf(o), o);
  const apply = (obj: T): void => {
    const key = keyOf(obj);
    const prev = applied.get(key);
    if (prev !== undefined) {
      if (!newer(obj, prev)) return;
      applied.set(key, obj);
      h.update(prev, obj);
      return;
    }
    const at = revision(obj.metadata.resourceVersion);
    if (listedAt !== undefined && at !== undefined && at <= listedAt) return;
    applied.set(key, obj);
    h.add(obj);
  };
  return {
    add: apply,
    update: (_old, obj) => apply(obj),
    delete: obj => {
      const key = keyOf(obj);
      const prev = applied.get(key);
      if (prev === undefined) return;
      const [uid, prevUid] = [obj.metadata.uid, prev.metadata.uid];
      if (uid !== undefined && prevUid !== undefined && uid !== prevUid) return;
      applied.delete(key);
      // a relist reports a deletion with the informer's last state, which may be older
      h.delete(newer(obj, prev) ? obj : prev);
    },
  };
}
