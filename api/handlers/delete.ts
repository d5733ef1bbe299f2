import type { KubeObject } from '../../core/types/meta.ts';
import { badRequest, conflict, notFound } from '../../core/errors/index.ts';
import { NAMESPACES } from '../registry/builtins.ts';
import { isHeld } from '../registry/finalizers.ts';
import { collectionPrefix } from '../registry/keys.ts';
import { rfc3339 } from '../registry/strategy.ts';
import { apiVersionOf } from '../registry/resource-info.ts';
import { StorageError } from '../storage/types.ts';
import { bodyText, isProtobufBody, mediaType } from '../server/body.ts';
import { decodeKubeProtobuf } from '../server/kube-protobuf.ts';
import { sendJson, successStatus } from '../server/respond.ts';
import type { ResourceRequest } from './context.ts';
import { asServed, keyOf, resourceRef } from './context.ts';
import { filterOf } from './filter.ts';
import { sendObject } from './render.ts';
import { mapStorageError } from './write-path.ts';

/** PropagationPolicy is how dependents are treated when their owner is deleted. */
export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

/** DeleteOptions is the subset of metav1.DeleteOptions the server honours. */
export interface DeleteOptions {
  readonly propagationPolicy: PropagationPolicy;
  readonly preconditions: { readonly uid?: string; readonly resourceVersion?: string };
  readonly dryRun: boolean;
}

/** deleteOptionsOf reads DeleteOptions from the JSON body and/or query parameters. */
export function deleteOptionsOf(r: ResourceRequest): DeleteOptions {
  let body: Record<string, unknown> = {};
  const raw = r.req.body as unknown;
  const contentType = r.req.get('content-type');
  const text = bodyText(raw);
  if (Buffer.isBuffer(raw) && raw.length > 0 && isProtobufBody(contentType)) {
    body = decodeKubeProtobuf(raw) as Record<string, unknown>;
  } else if (text.length > 0 && mediaType(contentType) !== 'application/x-www-form-urlencoded') {
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      throw badRequest(`error decoding DeleteOptions: ${(e as Error).message}`);
    }
  }
  const policy = (body['propagationPolicy'] ??
    r.query['propagationPolicy'] ??
    'Background') as string;
  if (policy !== 'Orphan' && policy !== 'Background' && policy !== 'Foreground') {
    throw badRequest(
      `unsupported propagationPolicy "${policy}": use Orphan, Background or Foreground`,
    );
  }
  const legacyOrphan = body['orphanDependents'] ?? r.query['orphanDependents'];
  const pre = (body['preconditions'] ?? {}) as { uid?: string; resourceVersion?: string };
  const dry = body['dryRun'];
  return {
    propagationPolicy: legacyOrphan === true || legacyOrphan === 'true' ? 'Orphan' : policy,
    preconditions: pre,
    dryRun: r.query['dryRun'] === 'All' || (Array.isArray(dry) && dry.includes('All')),
  };
}

const FINALIZER_OF: Readonly<Record<PropagationPolicy, string | undefined>> = {
  Orphan: 'orphan',
  Foreground: 'foregroundDeletion',
  Background: undefined,
};

/**
 * deleteOne deletes one object by key: with finalizers (or a policy that adds one) it only sets
 * deletionTimestamp and returns the object; otherwise it removes it and returns undefined.
 */
export async function deleteOne(
  r: ResourceRequest,
  name: string,
  opts: DeleteOptions,
): Promise<{ object: KubeObject; gone: boolean }> {
  const key = keyOf(r, name);
  for (let attempt = 0; ; attempt++) {
    const current = await r.deps.store.get(key);
    if (current === undefined) throw notFound(resourceRef(r, name));
    const meta = current.object.metadata;
    if (opts.preconditions.uid !== undefined && opts.preconditions.uid !== meta.uid) {
      throw conflict(
        resourceRef(r, name),
        `Precondition failed: UID in precondition: ${opts.preconditions.uid}, UID in object meta: ${meta.uid ?? ''}`,
      );
    }
    if (
      opts.preconditions.resourceVersion !== undefined &&
      opts.preconditions.resourceVersion !== current.rv
    ) {
      throw conflict(
        resourceRef(r, name),
        `Precondition failed: ResourceVersion in precondition: ${opts.preconditions.resourceVersion}, ResourceVersion in object meta: ${current.rv}`,
      );
    }
    const extra = FINALIZER_OF[opts.propagationPolicy];
    const specHeld = r.info === NAMESPACES && isHeld(r.info, current.object);
    const finalizers = [...(meta.finalizers ?? [])];
    if (extra !== undefined && meta.deletionTimestamp === undefined && !finalizers.includes(extra))
      finalizers.push(extra);
    try {
      if (finalizers.length === 0 && !specHeld) {
        if (opts.dryRun) return { object: current.object, gone: true };
        const res = await r.deps.store.delete(key, current.rv);
        return { object: { ...res.last.object }, gone: true };
      }
      if (meta.deletionTimestamp !== undefined) return { object: current.object, gone: false };
      const next: KubeObject = structuredClone(current.object);
      next.metadata.deletionTimestamp = rfc3339(r.deps.clock.now());
      next.metadata.deletionGracePeriodSeconds = 0;
      if (finalizers.length > 0) next.metadata.finalizers = finalizers;
      if (specHeld) next['status'] = { phase: 'Terminating' };
      if (opts.dryRun) return { object: next, gone: false };
      const stored = await r.deps.store.update(key, next, current.rv);
      return { object: stored.object, gone: false };
    } catch (e) {
      const raced = e instanceof StorageError && e.code === 'Conflict';
      if (!raced || attempt >= 8) throw mapStorageError(r, e, name);
    }
  }
}

/** remove answers DELETE on an object: Status Success when gone, else the object (200). */
export async function remove(r: ResourceRequest): Promise<void> {
  const name = r.name ?? '';
  const result = await deleteOne(r, name, deleteOptionsOf(r));
  if (!result.gone) {
    sendObject(r, 200, result.object);
    return;
  }
  sendJson(
    r.res,
    200,
    successStatus({
      name,
      group: r.info.group,
      kind: r.info.plural,
      ...(result.object.metadata.uid ? { uid: result.object.metadata.uid } : {}),
    }),
  );
}

/** removeCollection answers DELETE on a collection (selectors apply); returns the deleted list. */
export async function removeCollection(r: ResourceRequest): Promise<void> {
  const opts = deleteOptionsOf(r);
  const filter = filterOf(r);
  const page = await r.deps.store.list(collectionPrefix(r.info, r.deps.root, r.namespace));
  const deleted: KubeObject[] = [];
  for (const s of page.items) {
    if (filter !== undefined && !filter(s.object)) continue;
    const name = s.object.metadata.name ?? '';
    const ns = s.object.metadata.namespace;
    const scoped: ResourceRequest = { ...r, namespace: ns, name };
    try {
      deleted.push((await deleteOne(scoped, name, opts)).object);
    } catch (e) {
      if (!(e instanceof Error && 'code' in e && (e as { code: unknown }).code === 404)) throw e;
    }
  }
  sendJson(r.res, 200, {
    apiVersion: apiVersionOf(r.info),
    kind: r.info.listKind,
    metadata: { resourceVersion: page.revision },
    items: deleted.map(o => asServed(r.info, o)),
  });
}
