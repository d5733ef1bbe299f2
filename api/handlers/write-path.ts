import type { KubeObject } from '../../core/types/meta.ts';
import { ApiError, alreadyExists, conflict, notFound } from '../../core/errors/index.ts';
import { defaultManager, recordUpdate } from '../patch/index.ts';
import { isHeld } from '../registry/finalizers.ts';
import { apiVersionOf } from '../registry/resource-info.ts';
import { sameStored } from '../registry/strategy.ts';
import { StorageError, type Rendered, type Stored } from '../storage/types.ts';
import type { ResourceRequest } from './context.ts';
import { isDryRun, keyOf, resourceRef } from './context.ts';

/** managerOf is the request's field manager: `fieldManager`, else the User-Agent's product. */
export function managerOf(r: ResourceRequest): string {
  const explicit = r.query['fieldManager'];
  if (explicit !== undefined && explicit !== '') return explicit;
  return defaultManager(r.req.get('user-agent') ?? 'unknown');
}

/** withManagedFields records the request's manager as owner of the fields it changed. */
export function withManagedFields(
  r: ResourceRequest,
  before: KubeObject | undefined,
  after: KubeObject,
  now: string,
): KubeObject {
  after.metadata.managedFields = recordUpdate({
    before,
    after,
    schema: r.info.schema,
    manager: managerOf(r),
    apiVersion: apiVersionOf(r.info),
    ...(r.subresource === undefined ? {} : { subresource: r.subresource }),
    now,
  });
  return after;
}

/** mapStorageError turns a storage failure into the Status kube would answer. */
export function mapStorageError(r: ResourceRequest, e: unknown, name = r.name ?? ''): unknown {
  if (!(e instanceof StorageError)) return e;
  const ref = resourceRef(r, name);
  switch (e.code) {
    case 'KeyExists':
      return alreadyExists(ref);
    case 'Conflict':
      return conflict(ref);
    case 'NotFound':
      return notFound(ref);
    case 'Compacted':
      return new ApiError('Expired', `too old resource version: ${e.message}`);
    case 'TooLargeResourceVersion':
      return new ApiError('Timeout', e.message, {
        causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
        retryAfterSeconds: 1,
      });
    case 'Unavailable':
      return new ApiError('ServiceUnavailable', `storage is unavailable: ${e.message}`);
  }
}

/** Written is an object a write stored (or would have), with its JSON when the write rendered it. */
export interface Written {
  readonly object: KubeObject;
  readonly rendered?: Rendered | undefined;
}

/** createObject stores a prepared object (unless dry-run) and returns what was stored. */
export async function createObject(r: ResourceRequest, obj: KubeObject): Promise<Written> {
  const name = obj.metadata.name ?? '';
  if (isDryRun(r)) return { object: obj };
  try {
    const stored = await r.deps.store.create(keyOf(r, name), obj);
    return stored;
  } catch (e) {
    throw mapStorageError(r, e, name);
  }
}

/** UpdateFn computes the next object from the current one; it may throw an ApiError. */
export type UpdateFn = (current: Stored) => KubeObject | Promise<KubeObject>;

// cachedGuess is the watch cache's copy of the object to start an update from, instead of a read
// from etcd: with a precondition only the copy at exactly that revision (the object stored at a
// key and revision never changes, so it is the client's base; a cache behind or ahead of it is
// left to etcd), without one the cache's latest. Never for a dry run, which writes nothing that
// would confirm it.
function cachedGuess(
  r: ResourceRequest,
  key: string,
  preconditionRv: string | undefined,
): Stored | undefined {
  if (isDryRun(r)) return undefined;
  const cached = r.deps.store.getCached(key);
  if (cached === undefined) return undefined;
  return preconditionRv === undefined || cached.rv === preconditionRv ? cached : undefined;
}

/**
 * guaranteedUpdate reads, computes and CAS-writes, retrying on a lost race unless the client
 * pinned a resourceVersion (then a race is the client's 409), like kube's GuaranteedUpdate.
 * The first attempt starts from the watch cache's copy when it has one (cachedGuess): the CAS on
 * its revision confirms it was current, a lost race retries from etcd, and a no-op computed from
 * it is checked again from etcd, since a stale copy must not answer for the object. Objects
 * `update` is given may be the cache's: it must not change them. An object that is deleting and
 * has lost its last finalizer is deleted instead. No-op updates are not written. Returns the
 * resulting object (or the deleted one's last state).
 */
export async function guaranteedUpdate(
  r: ResourceRequest,
  update: UpdateFn,
  preconditionRv?: string,
): Promise<Written & { readonly deleted: boolean }> {
  const key = keyOf(r);
  let guess = cachedGuess(r, key, preconditionRv);
  for (let attempt = 0; ; attempt++) {
    const fromCache = guess !== undefined;
    const current = guess ?? (await r.deps.store.get(key));
    guess = undefined;
    if (current === undefined) throw notFound(resourceRef(r));
    if (preconditionRv !== undefined && preconditionRv !== current.rv)
      throw conflict(resourceRef(r));
    const next = await update(current);
    if (sameStored(current.object, next)) {
      if (fromCache) continue;
      return { object: current.object, deleted: false };
    }
    if (isDryRun(r)) return { object: next, deleted: false };
    try {
      const finalizing = next.metadata.deletionTimestamp !== undefined && !isHeld(r.info, next);
      if (finalizing) {
        const res = await r.deps.store.delete(key, current.rv);
        return {
          object: { ...next, metadata: { ...next.metadata, resourceVersion: res.rv } },
          deleted: true,
        };
      }
      const stored = await r.deps.store.update(key, next, current.rv);
      return { object: stored.object, deleted: false, rendered: stored.rendered };
    } catch (e) {
      const retry =
        e instanceof StorageError && e.code === 'Conflict' && preconditionRv === undefined;
      if (!retry || attempt >= 8) throw mapStorageError(r, e);
    }
  }
}
