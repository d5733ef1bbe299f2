import type { KubeObject } from '../../core/types/meta.ts';

/**
 * StorageErrorCode names each way a storage call can fail; handlers map them to a Status once.
 * - KeyExists: create found the key already there (409 AlreadyExists)
 * - Conflict: the key's mod_revision is not the expected one (409 Conflict)
 * - NotFound: no such key (404)
 * - Compacted: the requested revision is older than retained history (410 Expired)
 * - TooLargeResourceVersion: the requested revision is in the future (504 Timeout)
 * - Unavailable: etcd could not be reached (503)
 */
export type StorageErrorCode =
  'KeyExists' | 'Conflict' | 'NotFound' | 'Compacted' | 'TooLargeResourceVersion' | 'Unavailable';

/** StorageError is the only error api/storage throws; foreign etcd errors are mapped into it. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  readonly code: StorageErrorCode;
  /** current is the stored object when a CAS failed (Conflict/KeyExists), if it was read back. */
  readonly current: Stored | undefined;

  constructor(code: StorageErrorCode, message: string, current?: Stored) {
    super(message);
    this.code = code;
    this.current = current;
  }
}

/** Stored is an object as read from etcd; `object.metadata.resourceVersion` equals `rv`. */
export interface Stored {
  readonly key: string;
  readonly object: KubeObject;
  /** rv is the key's mod_revision as a decimal string. */
  readonly rv: string;
  /**
   * rendered, when the write that returned this object rendered it, is the object's JSON as
   * served (an answer need not render it again). Only a write's result carries it: caches keep
   * none.
   */
  readonly rendered?: Rendered | undefined;
}

/**
 * Rendered is an object's JSON as served, rendered by the write that stored it from the pieces
 * of its stored JSON (codec.ts encodeForStore): `json` in full, and `lean()` without
 * metadata.managedFields, for clients that asked for objects without them (omitManagedFields),
 * rendered when first asked for.
 */
export interface Rendered {
  readonly json: string;
  readonly lean: () => string;
}

/** ListOptions selects a page of keys under a prefix, optionally at an exact past revision. */
export interface ListOptions {
  /** limit is the page size; 0 or absent = everything. */
  readonly limit?: number;
  /** startAfterKey continues a previous page: only keys strictly greater are returned. */
  readonly startAfterKey?: string;
  /** revision reads at that revision (continue tokens); absent = latest, linearizable. */
  readonly revision?: string;
}

/** ListResult is one page; `revision` is the store revision the page was read at. */
export interface ListResult {
  readonly items: readonly Stored[];
  readonly revision: string;
  /** more is true when keys remain after the last item. */
  readonly more: boolean;
  /** remaining is how many keys remain after this page (when known). */
  readonly remaining?: number;
}

/** WatchEventType is the kind of change of one key. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/**
 * WatchEvent is one change of one key. For DELETED, `object` is the last stored state with
 * `metadata.resourceVersion` = the deletion revision. `prev` is the state before the change
 * (absent for ADDED), which selector filters need to turn updates into ADDED/DELETED transitions.
 */
export interface WatchEvent {
  readonly type: WatchEventType;
  readonly key: string;
  readonly object: KubeObject;
  readonly prev?: KubeObject;
  readonly rv: string;
  /**
   * rendered is the object's JSON as served when this server wrote it and rendered it then;
   * only the live delivery of an event carries it, not the replay buffer.
   */
  readonly rendered?: Rendered | undefined;
}

/** Watcher is a live subscription; `stop` ends it. `done` resolves when it ends for any reason. */
export interface Watcher {
  stop(): void;
  readonly done: Promise<StorageError | undefined>;
}

/** WatchOptions says where a watch starts and where its events go. */
export interface WatchOptions {
  readonly prefix: string;
  /**
   * resourcePrefix names the watch cache to serve from (`/<root>/<group>/<plural>/`) when
   * `prefix` is narrower (a namespace), so every watch of a resource shares one etcd watch.
   * Absent: a running cache whose prefix covers `prefix`, else `prefix` itself.
   */
  readonly resourcePrefix?: string;
  /**
   * fromRevision: deliver every event with revision > fromRevision. Absent: first deliver the
   * current state as ADDED events (consistent snapshot), then changes after it.
   */
  readonly fromRevision?: string;
  readonly onEvent: (ev: WatchEvent) => void;
  /** onError is called once if the watch ends abnormally (Compacted, Unavailable). */
  readonly onError: (err: StorageError) => void;
}

/** CreateOptions tune Store.create. */
export interface CreateOptions {
  /**
   * handOver: the caller gives the object up. It will not change the object or anything in it
   * from the call on, so the watch cache may keep the object itself instead of a copy; the
   * returned object is that object (read-only), its resourceVersion set.
   */
  readonly handOver?: boolean;
}

/**
 * Store is all the API server asks of etcd: CAS writes, reads, pages, watches. Keys are full etcd
 * keys (`/registry/<group>/<plural>/[<ns>/]<name>`). Values are the object JSON without
 * `metadata.resourceVersion`; reads fill it in from the key's mod_revision. The object a create
 * or update returns is a copy of the object given with a new top level and metadata; spec,
 * status and the maps in metadata are shared, so the caller changes neither afterwards (handlers
 * only send it).
 */
export interface Store {
  get(key: string): Promise<Stored | undefined>;
  /** create writes only if the key does not exist (mod_revision == 0); returns the new object. */
  create(key: string, object: KubeObject, opts?: CreateOptions): Promise<Stored>;
  /** update writes only if the key's mod_revision equals expectedRv. */
  update(key: string, object: KubeObject, expectedRv: string): Promise<Stored>;
  /** delete removes the key only if its mod_revision equals expectedRv; returns the delete revision. */
  delete(key: string, expectedRv: string): Promise<{ readonly rv: string; readonly last: Stored }>;
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** listCached serves a list from the watch cache (resourceVersion=0 semantics). */
  listCached(prefix: string): Promise<ListResult>;
  /**
   * getCached is the object at key as a running watch cache holds it (shared: read-only), or
   * undefined when no cache covers key or it lacks the key. It may lag etcd: a caller uses it as
   * a guess that a compare-and-swap on its revision confirms, as kube's GuaranteedUpdate does.
   */
  getCached(key: string): Stored | undefined;
  watch(opts: WatchOptions): Watcher;
  /** currentRevision is the latest revision the store has seen. */
  currentRevision(): Promise<string>;
  close(): Promise<void>;
}
