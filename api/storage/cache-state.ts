import type { IEvent } from 'etcd3';
import { decodeKv, withResourceVersion } from './codec.ts';
import type { StorageLogger } from './logger.ts';
import { OwnWrites } from './own-writes.ts';
import type { Stored, WatchEvent } from './types.ts';

/**
 * CacheState is a watch cache's current objects by key, each parsed once, and the translation
 * of etcd events into WatchEvents against it: the previous object for MODIFIED and DELETED comes
 * from here (the etcd watch asks for no prev_kv). A put this server wrote itself is not parsed
 * either: its writer left the object (a private copy, or one it gave up) with the bytes it sent
 * (ownWrites).
 */
export class CacheState {
  private readonly items = new Map<string, Stored>();
  private sortedKeys: string[] | undefined; // invalidated only when keys come or go
  private readonly logger: StorageLogger;
  /** ownWrites are this server's writes in flight, which stand in for decoding their events. */
  readonly ownWrites = new OwnWrites();

  constructor(logger: StorageLogger) {
    this.logger = logger;
  }

  /** add records an object from the initial list. */
  add(s: Stored): void {
    this.items.set(s.key, s);
    this.sortedKeys = undefined;
  }

  /** get is the current object at key, if the cache holds it. */
  get(key: string): Stored | undefined {
    return this.items.get(key);
  }

  /** sorted lists the objects in key order (etcd's order, as keys are ASCII paths). */
  sorted(): Stored[] {
    this.sortedKeys ??= [...this.items.keys()].sort();
    const out: Stored[] = [];
    for (const k of this.sortedKeys) {
      const s = this.items.get(k);
      if (s !== undefined) out.push(s);
    }
    return out;
  }

  /** apply updates the state with one etcd event and says what watchers should see, if anything. */
  apply(e: IEvent): WatchEvent | undefined {
    const key = e.kv.key.toString();
    const prev = this.items.get(key);
    switch (e.type) {
      case 'Put': {
        const own = this.ownWrites.take(key, e.kv);
        const cur = own?.stored ?? decodeKv(e.kv);
        if (cur === undefined) {
          this.logger.warn({ key }, 'watch cache skipping undecodable value');
          this.forget(key);
          return undefined;
        }
        if (prev === undefined) this.sortedKeys = undefined;
        this.items.set(key, cur);
        const { object, rv } = cur;
        const rendered = own?.rendered;
        if (prev === undefined || e.kv.create_revision === e.kv.mod_revision) {
          return { type: 'ADDED', key, object, rv, rendered };
        }
        return { type: 'MODIFIED', key, object, prev: prev.object, rv, rendered };
      }
      case 'Delete': {
        // the cache's own copy (the watch asks for no prev_kv); a key it never had was never
        // shown to a watcher, so its deletion is not either
        this.forget(key);
        if (prev === undefined) return undefined;
        const rv = e.kv.mod_revision;
        const object = withResourceVersion(prev.object, rv);
        return { type: 'DELETED', key, object, prev: prev.object, rv };
      }
    }
  }

  private forget(key: string): void {
    if (this.items.delete(key)) this.sortedKeys = undefined;
  }
}
