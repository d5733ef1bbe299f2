// In-memory stand-ins for the API and the informers the SDK driver runs on: a KindApi that keeps
// objects with resourceVersions and honours a pinned merge patch, and a Source the test drives.
import type {
  InformerHandlers,
  MergePatch,
  ObjectKey,
  ObjectList,
} from '../../../core/client/index.ts';
import type { Lease } from '../../../core/client/index.ts';
import { ClientError } from '../../../core/client/index.ts';
import type { Framework, Offer, Operation, Task } from '../../../core/types/index.ts';
import type { KubeObject } from '../../../core/types/meta.ts';
import type { Clock } from '../../../core/util/clock.ts';
import type {
  DriverApis,
  DriverSources,
  HeartbeatConfig,
  KindApi,
  Source,
} from '../../../sdk/index.ts';
import { FrameworkDriver } from '../../../sdk/index.ts';
import type { Scheduler } from '../../../sdk/index.ts';

/** Call is one recorded API call. */
export interface Call {
  readonly verb: string;
  readonly key: string;
  readonly body?: unknown;
}

const err = (reason: 'NotFound' | 'Conflict' | 'AlreadyExists', code: number, what: string) =>
  new ClientError({ reason, code, message: `${reason}: ${what}` });

function merge(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const base =
    target !== null && typeof target === 'object' && !Array.isArray(target)
      ? (target as Record<string, unknown>)
      : {};
  const keys = new Set([...Object.keys(base), ...Object.keys(patch)]);
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = (patch as Record<string, unknown>)[k];
    if (v === null) continue;
    out[k] = v === undefined ? base[k] : merge(base[k], v);
  }
  return out;
}

let rv = 100;

/** FakeApi keeps objects of one kind; `fail` makes the next call of a verb throw. */
export class FakeApi<T extends KubeObject> implements KindApi<T> {
  readonly objects = new Map<string, T>();
  readonly calls: Call[] = [];
  readonly failures = new Map<string, ClientError[]>();

  static key(k: ObjectKey): string {
    return `${k.namespace ?? ''}/${k.name}`;
  }

  /** put stores an object as the server would (fresh resourceVersion), returning it. */
  put(obj: T): T {
    const stored = structuredClone(obj);
    stored.metadata.resourceVersion = String(++rv);
    stored.metadata.uid ??= `uid-${obj.metadata.name ?? ''}`;
    this.objects.set(
      FakeApi.key({ namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' }),
      stored,
    );
    return structuredClone(stored);
  }

  fail(verb: string, e: ClientError): void {
    this.failures.set(verb, [...(this.failures.get(verb) ?? []), e]);
  }

  #enter(verb: string, key: string, body?: unknown): void {
    this.calls.push({ verb, key, ...(body === undefined ? {} : { body: structuredClone(body) }) });
    const queued = this.failures.get(verb);
    const e = queued?.shift();
    if (e !== undefined) throw e;
  }

  #existing(key: string): T {
    const o = this.objects.get(key);
    if (o === undefined) throw err('NotFound', 404, key);
    return o;
  }

  get(key: ObjectKey): Promise<T> {
    const k = FakeApi.key(key);
    this.#enter('get', k);
    return Promise.resolve(structuredClone(this.#existing(k)));
  }

  list(opts: { fieldSelector?: string } = {}): Promise<ObjectList<T>> {
    this.#enter('list', opts.fieldSelector ?? '');
    const [, value] = (opts.fieldSelector ?? '').split('=');
    const items = [...this.objects.values()].filter(
      o => value === undefined || (o['spec'] as { framework?: string }).framework === value,
    );
    return Promise.resolve({
      apiVersion: 'v1',
      kind: 'List',
      metadata: { resourceVersion: String(rv) },
      items: structuredClone(items),
    });
  }

  create(obj: T): Promise<T> {
    const k = FakeApi.key({
      namespace: obj.metadata.namespace ?? '',
      name: obj.metadata.name ?? '',
    });
    this.#enter('create', k, obj);
    if (this.objects.has(k)) throw err('AlreadyExists', 409, k);
    return Promise.resolve(this.put(obj));
  }

  #replace(verb: string, obj: T, part: 'spec' | 'status'): Promise<T> {
    const k = FakeApi.key({
      namespace: obj.metadata.namespace ?? '',
      name: obj.metadata.name ?? '',
    });
    this.#enter(verb, k, obj);
    const cur = this.#existing(k);
    if (obj.metadata.resourceVersion !== cur.metadata.resourceVersion)
      throw err('Conflict', 409, k);
    const next =
      part === 'status' ? { ...cur, status: obj['status'] } : { ...obj, status: cur['status'] };
    return Promise.resolve(this.put(next as T));
  }

  update(obj: T): Promise<T> {
    return this.#replace('update', obj, 'spec');
  }

  updateStatus(obj: T): Promise<T> {
    return this.#replace('updateStatus', obj, 'status');
  }

  patch(key: ObjectKey, body: MergePatch<T>): Promise<T> {
    const k = FakeApi.key(key);
    this.#enter('patch', k, body);
    const cur = this.#existing(k);
    const pinned = (body as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
    if (pinned !== undefined && pinned !== cur.metadata.resourceVersion)
      throw err('Conflict', 409, k);
    return Promise.resolve(this.put(merge(cur, body) as T));
  }

  delete(key: ObjectKey): Promise<void> {
    const k = FakeApi.key(key);
    this.#enter('delete', k);
    this.#existing(k);
    this.objects.delete(k);
    return Promise.resolve();
  }
}

/** FakeSource is an informer the test drives by hand. */
export class FakeSource<T extends KubeObject> implements Source<T> {
  readonly objects = new Map<string, T>();
  readonly #handlers = new Set<InformerHandlers<T>>();

  on(h: InformerHandlers<T>): () => void {
    this.#handlers.add(h);
    for (const o of this.objects.values()) h.add?.(o);
    return () => this.#handlers.delete(h);
  }
  hasSynced(): boolean {
    return true;
  }
  waitForSync(): Promise<void> {
    return Promise.resolve();
  }
  list(): readonly T[] {
    return [...this.objects.values()];
  }
  /** set adds or updates an object and tells the subscribers. */
  set(obj: T): void {
    const name = obj.metadata.name ?? '';
    const old = this.objects.get(name);
    this.objects.set(name, obj);
    for (const h of this.#handlers) {
      if (old === undefined) h.add?.(obj);
      else h.update?.(old, obj);
    }
  }
  /** remove deletes an object and tells the subscribers. */
  remove(name: string): void {
    const old = this.objects.get(name);
    if (old === undefined) return;
    this.objects.delete(name);
    for (const h of this.#handlers) h.delete?.(old);
  }
}

/** Rig is a driver over fakes. */
export interface Rig {
  readonly driver: FrameworkDriver;
  readonly apis: {
    frameworks: FakeApi<Framework>;
    offers: FakeApi<Offer>;
    tasks: FakeApi<Task>;
    operations: FakeApi<Operation>;
    leases: FakeApi<Lease>;
  };
  readonly sources: {
    offers: FakeSource<Offer>;
    tasks: FakeSource<Task>;
    operations: FakeSource<Operation>;
  };
}

/** RigOptions vary the driver. */
export interface RigOptions {
  readonly scheduler?: Scheduler;
  readonly clock: Clock;
  readonly framework: Framework;
  readonly implicitAcknowledgements?: boolean;
  /** heartbeat renews the Lease as `connect` does (off by default: the other tests need none). */
  readonly heartbeat?: HeartbeatConfig;
}

/** rig builds a started driver over fakes, the Framework already stored. */
export function rig(o: RigOptions): Rig {
  const apis = {
    frameworks: new FakeApi<Framework>(),
    offers: new FakeApi<Offer>(),
    tasks: new FakeApi<Task>(),
    operations: new FakeApi<Operation>(),
    leases: new FakeApi<Lease>(),
  };
  const sources = {
    offers: new FakeSource<Offer>(),
    tasks: new FakeSource<Task>(),
    operations: new FakeSource<Operation>(),
  };
  const framework = apis.frameworks.put(o.framework);
  const { leases, ...withoutLeases } = apis;
  const driver = new FrameworkDriver({
    apis: (o.heartbeat === undefined
      ? withoutLeases
      : { ...withoutLeases, leases }) satisfies DriverApis,
    framework,
    ...(o.heartbeat === undefined ? {} : { heartbeat: o.heartbeat }),
    sources: sources satisfies DriverSources,
    namespace: framework.metadata.namespace ?? '',
    name: framework.metadata.name ?? '',
    clock: o.clock,
    ...(o.scheduler === undefined ? {} : { scheduler: o.scheduler }),
    ...(o.implicitAcknowledgements === undefined
      ? {}
      : { implicitAcknowledgements: o.implicitAcknowledgements }),
  });
  driver.start({ framework, reregistered: false });
  return { driver, apis, sources };
}
