import type { Logger } from 'pino';
import type { KubeObject } from '../../core/types/meta.ts';
import { ApiError } from '../../core/errors/index.ts';
import type { Clock } from '../../core/util/clock.ts';
import type { Admission } from '../handlers/admission.ts';
import type { ResourceRequest } from '../handlers/context.ts';
import { NAMESPACES } from '../registry/builtins.ts';
import { collectionPrefix, objectKey } from '../registry/keys.ts';
import type { ResourceRegistry } from '../registry/registry.ts';
import { rfc3339 } from '../registry/strategy.ts';
import { storagePrefix } from '../registry/resource-info.ts';
import { StorageError, type Store, type Watcher } from '../storage/types.ts';

/** NamespaceLifecycleOptions are the collaborators of the namespace lifecycle. */
export interface NamespaceLifecycleOptions {
  readonly store: Store;
  readonly registry: ResourceRegistry;
  readonly root: string;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** NAMESPACE_FINALIZER is the spec finalizer that holds a namespace until its content is gone. */
export const NAMESPACE_FINALIZER = 'kubernetes';

/**
 * NamespaceLifecycle keeps the set of namespaces in memory (from a watch), rejects creates in a
 * missing (404) or terminating (403) namespace, creates `default` at start, and empties a
 * deleted namespace of every namespaced object before removing it.
 */
export class NamespaceLifecycle implements Admission {
  private readonly opts: NamespaceLifecycleOptions;
  private readonly namespaces = new Map<string, KubeObject>();
  private watcher: Watcher | undefined;
  private readonly busy = new Set<string>();

  constructor(opts: NamespaceLifecycleOptions) {
    this.opts = opts;
  }

  /** start begins watching namespaces and makes sure `default` exists. */
  async start(): Promise<void> {
    const { store, root } = this.opts;
    const prefix = storagePrefix(NAMESPACES, root);
    let synced!: () => void;
    const ready = new Promise<void>(resolve => (synced = resolve));
    const initial = await store.list(prefix);
    for (const s of initial.items) this.namespaces.set(s.object.metadata.name ?? '', s.object);
    this.watcher = store.watch({
      prefix,
      fromRevision: initial.revision,
      onEvent: ev => {
        const name = ev.object.metadata.name ?? '';
        if (ev.type === 'DELETED') this.namespaces.delete(name);
        else this.namespaces.set(name, ev.object);
        if (ev.type !== 'DELETED' && ev.object.metadata.deletionTimestamp !== undefined)
          this.finalizeSoon(name);
      },
      onError: err => {
        this.opts.logger.warn({ err: err.message }, 'namespace watch ended; restarting');
        void this.restart();
      },
    });
    synced();
    await ready;
    for (const ns of this.namespaces.values()) {
      if (ns.metadata.deletionTimestamp !== undefined) this.finalizeSoon(ns.metadata.name ?? '');
    }
    await this.ensure('default');
  }

  /** stop ends the watch. */
  stop(): void {
    this.watcher?.stop();
  }

  private async restart(): Promise<void> {
    this.watcher?.stop();
    this.namespaces.clear();
    await this.opts.clock.sleep(500);
    await this.start();
  }

  /** ensure creates a namespace if it is missing. */
  async ensure(name: string): Promise<void> {
    if (this.namespaces.has(name)) return;
    const obj = newNamespace(name, rfc3339(this.opts.clock.now()));
    try {
      const stored = await this.opts.store.create(
        objectKey(NAMESPACES, { root: this.opts.root, name }),
        obj,
      );
      this.namespaces.set(name, stored.object);
    } catch (e) {
      if (!(e instanceof StorageError && e.code === 'KeyExists')) throw e;
    }
  }

  /** admitCreate defaults new namespaces and rejects creates in a missing or terminating namespace. */
  async admitCreate(r: ResourceRequest, obj: KubeObject): Promise<void> {
    if (r.info === NAMESPACES) {
      const name = obj.metadata.name ?? '';
      obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': name };
      obj['spec'] = { finalizers: [NAMESPACE_FINALIZER] };
      obj['status'] = { phase: 'Active' };
      return;
    }
    if (!r.info.namespaced || r.namespace === undefined) return;
    const ns = this.namespaces.get(r.namespace) ?? (await this.readThrough(r.namespace));
    if (ns === undefined) {
      throw new ApiError('NotFound', `namespaces "${r.namespace}" not found`, {
        name: r.namespace,
        kind: 'namespaces',
      });
    }
    if (ns.metadata.deletionTimestamp !== undefined) {
      throw new ApiError(
        'Forbidden',
        `${r.info.plural}${r.info.group === '' ? '' : `.${r.info.group}`} is forbidden: unable to create new content in namespace ${r.namespace} because it is being terminated`,
      );
    }
  }

  /**
   * readThrough reads a namespace from etcd when the watch has not delivered it yet, so a create
   * right after `kubectl create namespace` is not refused by a lagging cache.
   */
  private async readThrough(name: string): Promise<KubeObject | undefined> {
    const got = await this.opts.store.get(objectKey(NAMESPACES, { root: this.opts.root, name }));
    return got?.object;
  }

  /** admitUpdate has nothing to check for namespaces. */
  admitUpdate(): Promise<void> {
    return Promise.resolve();
  }

  private finalizeSoon(name: string): void {
    if (this.busy.has(name)) return;
    this.busy.add(name);
    void this.finalize(name)
      .catch((e: unknown) =>
        this.opts.logger.warn(
          { namespace: name, err: String(e) },
          'namespace cleanup failed; retrying',
        ),
      )
      .finally(() => {
        this.busy.delete(name);
        if (this.namespaces.get(name)?.metadata.deletionTimestamp !== undefined) {
          setTimeout(() => this.finalizeSoon(name), 1000).unref();
        }
      });
  }

  /** finalize deletes every namespaced object in the namespace, then the namespace itself. */
  private async finalize(name: string): Promise<void> {
    const { store, root, registry } = this.opts;
    let remaining = 0;
    const seen = new Set<string>();
    for (const info of registry.all()) {
      if (!info.namespaced) continue;
      const prefix = collectionPrefix(info, root, name);
      if (seen.has(prefix)) continue;
      seen.add(prefix);
      const page = await store.list(prefix);
      for (const s of page.items) {
        remaining += 1;
        await deleteOrMark(store, s.key, s.object, rfc3339(this.opts.clock.now()));
      }
    }
    if (remaining > 0) throw new Error(`${remaining} objects still in namespace ${name}`);
    const key = objectKey(NAMESPACES, { root, name });
    const cur = await store.get(key);
    if (cur !== undefined) await store.delete(key, cur.rv);
  }
}

async function deleteOrMark(
  store: Store,
  key: string,
  obj: KubeObject,
  now: string,
): Promise<void> {
  const cur = await store.get(key);
  if (cur === undefined) return;
  try {
    if ((obj.metadata.finalizers ?? []).length === 0) {
      await store.delete(key, cur.rv);
    } else if (cur.object.metadata.deletionTimestamp === undefined) {
      const next = structuredClone(cur.object);
      next.metadata.deletionTimestamp = now;
      next.metadata.deletionGracePeriodSeconds = 0;
      await store.update(key, next, cur.rv);
    }
  } catch (e) {
    if (!(e instanceof StorageError)) throw e;
  }
}

/** newNamespace builds a fresh Active namespace object. */
export function newNamespace(name: string, now: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      uid: crypto.randomUUID(),
      creationTimestamp: now,
      generation: 1,
      labels: { 'kubernetes.io/metadata.name': name },
    },
    spec: { finalizers: [NAMESPACE_FINALIZER] },
    status: { phase: 'Active' },
  };
}
