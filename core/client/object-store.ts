// The informer's cache. Objects are deep-frozen when stored, because every reader shares them
// (house rule 11): a reader that wants to change one copies it first (`structuredClone`).
import type { KubeObject } from '../types/meta.ts';
import { deepFreeze } from '../util/deep-freeze.ts';
import type { ObjectKey } from './paths.ts';

/** Change is one difference the store applied, handed to informer handlers. */
export type Change<T extends KubeObject> =
  | { readonly type: 'add'; readonly obj: T }
  | { readonly type: 'update'; readonly old: T; readonly obj: T }
  | { readonly type: 'delete'; readonly obj: T };

/**
 * ReadonlyCache is the read side of an informer. Every object it returns is frozen (deeply):
 * writing to one throws, so copy with `structuredClone` before changing it.
 */
export interface ReadonlyCache<T extends KubeObject> {
  get(key: ObjectKey): T | undefined;
  /** list returns every object, or those of one namespace. */
  list(namespace?: string): T[];
  readonly size: number;
}

const cacheKey = (namespace: string | undefined, name: string): string =>
  namespace === undefined || namespace === '' ? name : `${namespace}/${name}`;

const keyOfObject = (o: KubeObject): string =>
  cacheKey(o.metadata.namespace, o.metadata.name ?? '');

/** ObjectStore keeps the latest state of each object by namespace/name. */
export class ObjectStore<T extends KubeObject> implements ReadonlyCache<T> {
  private readonly objects = new Map<string, T>();

  get size(): number {
    return this.objects.size;
  }

  /** get finds one object. */
  get(key: ObjectKey): T | undefined {
    return this.objects.get(cacheKey(key.namespace, key.name));
  }

  /** list returns all objects, or those of one namespace, in insertion order. */
  list(namespace?: string): T[] {
    const all = [...this.objects.values()];
    return namespace === undefined ? all : all.filter(o => o.metadata.namespace === namespace);
  }

  /** upsert stores an object; no change when the stored one has the same resourceVersion. */
  upsert(obj: T): Change<T> | undefined {
    const key = keyOfObject(obj);
    const old = this.objects.get(key);
    if (old !== undefined && old.metadata.resourceVersion === obj.metadata.resourceVersion)
      return undefined;
    this.objects.set(key, deepFreeze(obj));
    return old === undefined ? { type: 'add', obj } : { type: 'update', old, obj };
  }

  /** remove drops an object; the change carries the last state the server sent. */
  remove(obj: T): Change<T> | undefined {
    const key = keyOfObject(obj);
    if (!this.objects.has(key)) return undefined;
    this.objects.delete(key);
    return { type: 'delete', obj: deepFreeze(obj) };
  }

  /**
   * replace makes the store equal to a fresh list: adds and updates for what the list has,
   * deletes (with the last state we knew) for what it no longer has.
   */
  replace(items: readonly T[]): Change<T>[] {
    const changes: Change<T>[] = [];
    const fresh = new Set<string>();
    for (const item of items) {
      fresh.add(keyOfObject(item));
      const c = this.upsert(item);
      if (c !== undefined) changes.push(c);
    }
    for (const [key, old] of this.objects) {
      if (fresh.has(key)) continue;
      this.objects.delete(key);
      changes.push({ type: 'delete', obj: old });
    }
    return changes;
  }
}
