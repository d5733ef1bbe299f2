// Option and payload types of ResourceClient, kept apart so the client file stays about behaviour.
import type { KubeObject } from '../types/meta.ts';

/** CallOptions is what every call accepts: a signal that aborts the request. */
export interface CallOptions {
  readonly signal?: AbortSignal;
}

/** Selectors narrow a list or watch; `namespace` absent means all namespaces. */
export interface Selectors {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /**
   * omitManagedFields asks a Corral API server for the objects without metadata.managedFields
   * (its extension; a server without it sends them anyway, so a client that must not see them
   * drops them too, as dropManagedFields does).
   */
  readonly omitManagedFields?: boolean;
}

/** ListOptions pages through a collection (`limit` + `continue`) at a resourceVersion. */
export interface ListOptions extends CallOptions, Selectors {
  readonly limit?: number;
  readonly continue?: string;
  readonly resourceVersion?: string;
}

/** WatchOptions starts a watch after `resourceVersion` (absent: synthetic ADDED for all first). */
export interface WatchOptions extends CallOptions, Selectors {
  readonly resourceVersion?: string;
  readonly allowWatchBookmarks?: boolean;
  /** timeoutSeconds asks the server to end the watch cleanly after this long. */
  readonly timeoutSeconds?: number;
}

/** WriteOptions apply to create, update and non-apply patches. */
export interface WriteOptions extends CallOptions {
  /** fieldManager names the writer in managedFields; the server derives one when absent. */
  readonly fieldManager?: string;
  readonly dryRun?: boolean;
}

/** MergePatchOptions selects an RFC 7386 merge patch, the default. */
export interface MergePatchOptions extends WriteOptions {
  readonly type?: 'merge';
}

/** JsonPatchOptions selects an RFC 6902 JSON patch. */
export interface JsonPatchOptions extends WriteOptions {
  readonly type: 'json';
}

/** ApplyOptions selects server-side apply; it needs a field manager, and creates if absent. */
export interface ApplyOptions extends CallOptions {
  readonly type: 'apply';
  readonly fieldManager: string;
  /** force takes over fields another manager owns instead of failing with a conflict. */
  readonly force?: boolean;
  readonly dryRun?: boolean;
}

/** PatchOptions is any of the three patch flavours. */
export type PatchOptions = MergePatchOptions | JsonPatchOptions | ApplyOptions;

/** DeleteOptions is what the server honours of metav1.DeleteOptions. */
export interface DeleteOptions extends CallOptions {
  readonly propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  /** preconditions make the delete fail with Conflict if the object changed meanwhile. */
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly dryRun?: boolean;
}

/** ObjectList is a page of a collection with its resourceVersion and continue token. */
export interface ObjectList<T extends KubeObject> {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly resourceVersion: string; readonly continue?: string };
  readonly items: T[];
}

/**
 * MergePatch is an RFC 7386 patch of T: any subset of fields, `null` removes one. Arrays are
 * replaced whole, as merge patch does for CRDs.
 */
export type MergePatch<T> = {
  [K in keyof T]?: T[K] extends readonly unknown[]
    ? T[K] | null
    : T[K] extends object
      ? MergePatch<T[K]> | null
      : T[K] | null;
};

/** ApplyConfiguration is the partial object a server-side apply sends: identity plus fields. */
export type ApplyConfiguration<T extends KubeObject> = MergePatch<T> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
};

/** JsonPatchOperation is one RFC 6902 operation. */
export interface JsonPatchOperation {
  readonly op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  readonly path: string;
  readonly value?: unknown;
  readonly from?: string;
}
