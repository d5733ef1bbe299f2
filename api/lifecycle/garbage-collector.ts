import type { Logger } from 'pino';
import type { KubeObject, OwnerReference } from '../../core/types/meta.ts';
import type { Clock } from '../../core/util/clock.ts';
import { isHeld } from '../registry/finalizers.ts';
import { objectKey } from '../registry/keys.ts';
import type { ResourceRegistry } from '../registry/registry.ts';
import type { ResourceInfo } from '../registry/resource-info.ts';
import { storagePrefix } from '../registry/resource-info.ts';
import { rfc3339 } from '../registry/strategy.ts';
import { StorageError, type Store, type Watcher } from '../storage/types.ts';

/** GarbageCollectorOptions are the collaborators of the garbage collector. */
export interface GarbageCollectorOptions {
  readonly store: Store;
  readonly registry: ResourceRegistry;
  readonly root: string;
  readonly clock: Clock;
  readonly logger: Logger;
}

interface Tracked {
  readonly info: ResourceInfo;
  readonly object: KubeObject;
}

/**
 * GarbageCollector does kube-controller-manager's ownerReference work inside the API server:
 * background deletion of dependents whose owners are all gone, the `foregroundDeletion`
 * finalizer (delete dependents first) and the `orphan` finalizer (detach dependents first).
 * It watches every served resource through the shared watch cache and indexes owners by uid.
 */
export class GarbageCollector {
  private readonly opts: GarbageCollectorOptions;
  private readonly watchers = new Map<string, Watcher>();
  private readonly byKey = new Map<string, Tracked>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly keyByUid = new Map<string, string>();
  private readonly queue = new Set<string>();
  private draining = false;
  private unsubscribe: (() => void) | undefined;

  constructor(opts: GarbageCollectorOptions) {
    this.opts = opts;
  }

  /** start watches every served resource and follows registry changes. */
  start(): void {
    this.sync();
    this.unsubscribe = this.opts.registry.onChange(() => this.sync());
  }

  /** stop ends every watch. */
  stop(): void {
    this.unsubscribe?.();
    for (const w of this.watchers.values()) w.stop();
    this.watchers.clear();
  }

  private sync(): void {
    for (const info of this.opts.registry.all()) {
      const prefix = storagePrefix(info, this.opts.root);
      if (this.watchers.has(prefix)) continue;
      this.watchers.set(
        prefix,
        this.opts.store.watch({
          prefix,
          onEvent: ev => this.observe(info, ev.key, ev.type === 'DELETED' ? undefined : ev.object),
          onError: err => {
            this.opts.logger.warn({ prefix, err: err.message }, 'gc watch ended; restarting');
            this.watchers.delete(prefix);
            setTimeout(() => this.sync(), 1000).unref();
          },
        }),
      );
    }
  }

  private observe(info: ResourceInfo, key: string, obj: KubeObject | undefined): void {
    const old = this.byKey.get(key);
    for (const ref of old?.object.metadata.ownerReferences ?? []) {
      this.dependents.get(ref.uid)?.delete(key);
      // an owner waiting in foreground deletion may now be free to go
      const ownerKey = this.keyByUid.get(ref.uid);
      const owner = ownerKey === undefined ? undefined : this.byKey.get(ownerKey);
      if (ownerKey !== undefined && owner?.object.metadata.deletionTimestamp !== undefined) {
        this.enqueue(ownerKey);
      }
    }
    if (obj === undefined) {
      this.byKey.delete(key);
      const uid = old?.object.metadata.uid;
      if (uid !== undefined) {
        this.keyByUid.delete(uid);
        for (const dep of this.dependents.get(uid) ?? []) this.enqueue(dep);
      }
      return;
    }
    this.byKey.set(key, { info, object: obj });
    if (obj.metadata.uid !== undefined) this.keyByUid.set(obj.metadata.uid, key);
    for (const ref of obj.metadata.ownerReferences ?? []) {
      let set = this.dependents.get(ref.uid);
      if (set === undefined) this.dependents.set(ref.uid, (set = new Set()));
      set.add(key);
    }
    const fin = obj.metadata.finalizers ?? [];
    if (
      obj.metadata.deletionTimestamp !== undefined &&
      (fin.includes('orphan') || fin.includes('foregroundDeletion'))
    ) {
      this.enqueue(key);
    }
    if (old === undefined && (obj.metadata.ownerReferences ?? []).length > 0) this.enqueue(key);
  }

  private enqueue(key: string): void {
    this.queue.add(key);
    if (!this.draining) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.size > 0) {
        const key = this.queue.values().next().value as string;
        this.queue.delete(key);
        await this.process(key).catch((e: unknown) => {
          this.opts.logger.warn({ key, err: String(e) }, 'gc step failed; will retry');
          setTimeout(() => this.enqueue(key), 1000).unref();
        });
      }
    } finally {
      this.draining = false;
    }
  }

  private async process(key: string): Promise<void> {
    const cur = await this.opts.store.get(key);
    const tracked = this.byKey.get(key);
    if (cur === undefined || tracked === undefined) return;
    const obj = cur.object;
    const fin = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp !== undefined && fin.includes('orphan')) {
      await this.orphanDependents(obj);
      await this.removeFinalizer(tracked.info, key, 'orphan');
      return;
    }
    if (obj.metadata.deletionTimestamp !== undefined && fin.includes('foregroundDeletion')) {
      const deps = [...(this.dependents.get(obj.metadata.uid ?? '') ?? [])];
      for (const dep of deps) await this.deleteKey(dep);
      if (deps.length === 0) await this.removeFinalizer(tracked.info, key, 'foregroundDeletion');
      return;
    }
    const refs = obj.metadata.ownerReferences ?? [];
    if (refs.length === 0) return;
    const alive = await Promise.all(refs.map(ref => this.ownerExists(obj, ref)));
    if (alive.every(a => !a)) await this.deleteKey(key);
  }

  private async ownerExists(dependent: KubeObject, ref: OwnerReference): Promise<boolean> {
    const [group, version] = ref.apiVersion.includes('/')
      ? ref.apiVersion.split('/')
      : ['', ref.apiVersion];
    const info = this.opts.registry.byKind(group ?? '', version ?? '', ref.kind);
    if (info === undefined) return true; // unknown kind: never delete on a guess
    const namespace = info.namespaced ? dependent.metadata.namespace : undefined;
    const owner = await this.opts.store.get(
      objectKey(info, { root: this.opts.root, namespace, name: ref.name }),
    );
    return owner !== undefined && owner.object.metadata.uid === ref.uid;
  }

  private async deleteKey(key: string): Promise<void> {
    const cur = await this.opts.store.get(key);
    const tracked = this.byKey.get(key);
    if (cur === undefined || tracked === undefined) return;
    try {
      if (!isHeld(tracked.info, cur.object)) {
        await this.opts.store.delete(key, cur.rv);
      } else if (cur.object.metadata.deletionTimestamp === undefined) {
        const next = structuredClone(cur.object);
        next.metadata.deletionTimestamp = rfc3339(this.opts.clock.now());
        next.metadata.deletionGracePeriodSeconds = 0;
        await this.opts.store.update(key, next, cur.rv);
      }
    } catch (e) {
      if (!(e instanceof StorageError && (e.code === 'Conflict' || e.code === 'NotFound'))) throw e;
      this.enqueue(key);
    }
  }

  private async orphanDependents(owner: KubeObject): Promise<void> {
    for (const dep of [...(this.dependents.get(owner.metadata.uid ?? '') ?? [])]) {
      const cur = await this.opts.store.get(dep);
      if (cur === undefined) continue;
      const next = structuredClone(cur.object);
      next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter(
        r => r.uid !== owner.metadata.uid,
      );
      if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
      await this.opts.store.update(dep, next, cur.rv);
    }
  }

  private async removeFinalizer(info: ResourceInfo, key: string, finalizer: string): Promise<void> {
    const cur = await this.opts.store.get(key);
    if (cur === undefined) return;
    const next = structuredClone(cur.object);
    next.metadata.finalizers = (next.metadata.finalizers ?? []).filter(f => f !== finalizer);
    if (next.metadata.finalizers.length === 0) delete next.metadata.finalizers;
    if (!isHeld(info, next)) await this.opts.store.delete(key, cur.rv);
    else await this.opts.store.update(key, next, cur.rv);
  }
}
