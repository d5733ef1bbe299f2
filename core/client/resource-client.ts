import type { KubeObject, ObjectMeta } from '../types/meta.ts';
import { assertNever } from '../util/assert-never.ts';
import { ClientError, isStatus, responseError, statusError, transportError } from './errors.ts';
import type { Kind } from './kinds.ts';
import type {
  ApplyConfiguration,
  ApplyOptions,
  CallOptions,
  DeleteOptions,
  JsonPatchOperation,
  JsonPatchOptions,
  ListOptions,
  MergePatch,
  MergePatchOptions,
  ObjectList,
  PatchOptions,
  Selectors,
  WatchOptions,
  WriteOptions,
} from './options.ts';
import type { ObjectKey, QueryValue } from './paths.ts';
import { collectionPath, objectPath, withQuery } from './paths.ts';
import type { HttpMethod, HttpResponse, Transport } from './transport.ts';
import type { WatchEvent } from './watch-stream.ts';
import { readWatchEventBatches } from './watch-stream.ts';

const CONTENT_TYPE = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

interface Call extends CallOptions {
  readonly method: HttpMethod;
  readonly path: string;
  readonly body?: unknown;
  readonly contentType?: string;
}

const dryRun = (on: boolean | undefined): QueryValue => (on === true ? 'All' : undefined);

/** Lean asks for objects without metadata.managedFields (Selectors.omitManagedFields). */
type Lean = Pick<Selectors, 'omitManagedFields'>;

/**
 * ResourceClient reads and writes one kind. Every method takes an optional AbortSignal (in its
 * options) and throws only ClientError (or the signal's reason once aborted). Objects it returns
 * are fresh and the caller's to change.
 */
export class ResourceClient<T extends KubeObject> {
  readonly kind: Kind<T>;
  private readonly transport: Transport;
  // `omitManagedFields=true` on every request that answers objects (ClientOptions), or nothing
  private readonly lean: QueryValue;

  constructor(kind: Kind<T>, transport: Transport, opts: Lean = {}) {
    this.kind = kind;
    this.transport = transport;
    this.lean = opts.omitManagedFields === true ? 'true' : undefined;
  }

  // the omitManagedFields query value of a list or watch: the call's, else the client's
  private leanFor(opts: Lean): QueryValue {
    return opts.omitManagedFields === true ? 'true' : this.lean;
  }

  /** get reads one object; NotFound when absent. */
  async get(key: ObjectKey, opts: CallOptions = {}): Promise<T> {
    const path = withQuery(objectPath(this.kind, key), { omitManagedFields: this.lean });
    return this.json({ ...opts, method: 'GET', path });
  }

  /** list reads one page (all, unless `limit`) of the collection. */
  async list(opts: ListOptions = {}): Promise<ObjectList<T>> {
    const path = withQuery(collectionPath(this.kind, opts.namespace), {
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
      limit: opts.limit,
      continue: opts.continue,
      resourceVersion: opts.resourceVersion,
      omitManagedFields: this.leanFor(opts),
    });
    return this.json({ ...opts, method: 'GET', path });
  }

  /** create writes a new object (its namespace from metadata); AlreadyExists when taken. */
  async create(obj: T, opts: WriteOptions = {}): Promise<T> {
    if (this.kind.namespaced && (obj.metadata.namespace ?? '') === '')
      throw new TypeError(`${this.kind.plural} are namespaced; set metadata.namespace`);
    const path = withQuery(collectionPath(this.kind, obj.metadata.namespace), {
      fieldManager: opts.fieldManager,
      dryRun: dryRun(opts.dryRun),
      omitManagedFields: this.lean,
    });
    return this.json({ ...opts, method: 'POST', path, body: obj });
  }

  /**
   * createMany creates several objects in one request (Corral's List create, see
   * api/handlers/create-list.ts). Throws when the server refuses the request as a whole (an
   * invalid item: nothing was written); otherwise answers, per object and in order, the stored
   * object's metadata (name, namespace, uid, resourceVersion...) or the ClientError of that one
   * (e.g. AlreadyExists). Objects of several namespaces go together through the all-namespaces
   * path.
   */
  async createMany(
    objs: readonly T[],
    opts: WriteOptions = {},
  ): Promise<(ObjectMeta | ClientError)[]> {
    if (objs.length === 0) return [];
    const namespaces = new Set(objs.map(o => o.metadata.namespace ?? ''));
    if (this.kind.namespaced && namespaces.has(''))
      throw new TypeError(`${this.kind.plural} are namespaced; set metadata.namespace`);
    const only = namespaces.size === 1 ? [...namespaces][0] : undefined;
    const path = withQuery(collectionPath(this.kind, only === '' ? undefined : only), {
      fieldManager: opts.fieldManager,
      dryRun: dryRun(opts.dryRun),
    });
    const body = { apiVersion: 'v1', kind: 'List', items: objs };
    const answer = await this.json<{ items?: unknown[] }>({ ...opts, method: 'POST', path, body });
    const items = answer.items ?? [];
    if (items.length !== objs.length) {
      throw new ClientError({
        reason: 'Unknown',
        code: 0,
        message: `a List create of ${objs.length} answered ${items.length} items`,
      });
    }
    return items.map(item =>
      isStatus(item) ? statusError(item) : ((item as { metadata?: ObjectMeta }).metadata ?? {}),
    );
  }

  /** update replaces spec and metadata; Conflict unless metadata.resourceVersion is current. */
  async update(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.put(obj, undefined, opts);
  }

  /** updateStatus replaces only `.status` through the status subresource (same CAS rule). */
  async updateStatus(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.put(obj, 'status', opts);
  }

  /** patch changes fields: merge patch by default, JSON patch or server-side apply by `type`. */
  patch(key: ObjectKey, body: MergePatch<T>, opts?: MergePatchOptions): Promise<T>;
  patch(key: ObjectKey, body: readonly JsonPatchOperation[], opts: JsonPatchOptions): Promise<T>;
  patch(key: ObjectKey, body: ApplyConfiguration<T>, opts: ApplyOptions): Promise<T>;
  async patch(key: ObjectKey, body: unknown, opts: PatchOptions = {}): Promise<T> {
    return this.sendPatch(key, undefined, body, opts);
  }

  /** patchStatus is patch against the status subresource. */
  patchStatus(key: ObjectKey, body: MergePatch<T>, opts?: MergePatchOptions): Promise<T>;
  patchStatus(
    key: ObjectKey,
    body: readonly JsonPatchOperation[],
    opts: JsonPatchOptions,
  ): Promise<T>;
  async patchStatus(key: ObjectKey, body: unknown, opts: PatchOptions = {}): Promise<T> {
    return this.sendPatch(key, 'status', body, opts);
  }

  /** delete removes the object (or marks it for deletion while finalizers remain). */
  async delete(key: ObjectKey, opts: DeleteOptions = {}): Promise<void> {
    const body = {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      ...(opts.propagationPolicy === undefined
        ? {}
        : { propagationPolicy: opts.propagationPolicy }),
      ...(opts.preconditions === undefined ? {} : { preconditions: opts.preconditions }),
      ...(opts.dryRun === true ? { dryRun: ['All'] } : {}),
    };
    await this.json({ ...opts, method: 'DELETE', path: objectPath(this.kind, key), body });
  }

  /**
   * watch streams changes until the server ends the watch (the iteration then just ends) or it
   * fails: an ERROR event or a 410 throws a ClientError for which `isGone` is true.
   */
  async *watch(opts: WatchOptions = {}): AsyncGenerator<WatchEvent<T>, void, undefined> {
    for await (const batch of this.watchBatches(opts)) yield* batch;
  }

  /** watchBatches is `watch` a received chunk at a time (readWatchEventBatches), for informers. */
  async *watchBatches(
    opts: WatchOptions = {},
  ): AsyncGenerator<readonly WatchEvent<T>[], void, undefined> {
    const path = withQuery(collectionPath(this.kind, opts.namespace), {
      watch: 'true',
      resourceVersion: opts.resourceVersion,
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
      allowWatchBookmarks: opts.allowWatchBookmarks,
      timeoutSeconds: opts.timeoutSeconds,
      omitManagedFields: this.leanFor(opts),
    });
    const res = await this.send({ ...opts, method: 'GET', path });
    if (res.status !== 200) throw responseError(res.status, await res.text());
    const body = res.stream();
    if (body === null) return;
    try {
      yield* readWatchEventBatches<T>(body);
    } catch (e) {
      throw this.mapFailure(e, opts.signal);
    }
  }

  private put(obj: T, sub: 'status' | undefined, opts: WriteOptions): Promise<T> {
    const key = { name: obj.metadata.name ?? '', namespace: obj.metadata.namespace ?? '' };
    const path = withQuery(objectPath(this.kind, key, sub), {
      fieldManager: opts.fieldManager,
      dryRun: dryRun(opts.dryRun),
      omitManagedFields: this.lean,
    });
    return this.json({ ...opts, method: 'PUT', path, body: obj });
  }

  private sendPatch(
    key: ObjectKey,
    sub: 'status' | undefined,
    body: unknown,
    opts: PatchOptions,
  ): Promise<T> {
    const type = opts.type ?? 'merge';
    let query: Record<string, QueryValue>;
    switch (type) {
      case 'merge':
      case 'json':
        query = { fieldManager: opts.fieldManager, dryRun: dryRun(opts.dryRun) };
        break;
      case 'apply': {
        const apply = opts as ApplyOptions;
        query = {
          fieldManager: apply.fieldManager,
          force: apply.force,
          dryRun: dryRun(opts.dryRun),
        };
        break;
      }
      default:
        return assertNever(type, 'patch type');
    }
    const path = withQuery(objectPath(this.kind, key, sub), {
      ...query,
      omitManagedFields: this.lean,
    });
    const contentType = CONTENT_TYPE[type];
    return this.json({ ...opts, method: 'PATCH', path, body, contentType });
  }

  private async json<R>(call: Call): Promise<R> {
    const res = await this.send(call);
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      throw this.mapFailure(e, call.signal);
    }
    if (res.status < 200 || res.status >= 300) throw responseError(res.status, text);
    try {
      return JSON.parse(text) as R;
    } catch (e) {
      throw new ClientError({
        reason: 'Unknown',
        code: res.status,
        message: `undecodable answer: ${(e as Error).message}`,
      });
    }
  }

  private async send(call: Call): Promise<HttpResponse> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (call.body !== undefined) headers['Content-Type'] = call.contentType ?? 'application/json';
    try {
      return await this.transport.send({
        method: call.method,
        path: call.path,
        headers,
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
        ...(call.signal === undefined ? {} : { signal: call.signal }),
      });
    } catch (e) {
      throw this.mapFailure(e, call.signal);
    }
  }

  /** mapFailure: an abort stays the signal's reason; other foreign errors become Transport. */
  private mapFailure(e: unknown, signal: AbortSignal | undefined): unknown {
    if (signal?.aborted === true) return signal.reason;
    if (e instanceof ClientError) return e;
    return transportError(e);
  }
}
