import type { KubeObject } from '../../core/types/meta.ts';
import { withoutMember } from '../../core/util/without-member.ts';
import { toTable, wantsTable } from '../table/index.ts';
import { apiVersionOf } from '../registry/resource-info.ts';
import { sendJson, sendJsonText } from '../server/respond.ts';
import type { Rendered } from '../storage/types.ts';
import type { ResourceRequest } from './context.ts';
import { asServed } from './context.ts';

/** ListMeta is the metadata of a list response. */
export interface ListMeta {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

type IncludeObject = 'None' | 'Metadata' | 'Object';

/** includeObjectOf reads `includeObject` (Table rows), default Metadata. */
export function includeObjectOf(r: ResourceRequest): IncludeObject {
  const v = r.query['includeObject'];
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

/**
 * omitsManagedFields reads `omitManagedFields`, Corral's extension to reads, watches and the
 * answers to writes (kube has none): the client asks for objects without metadata.managedFields.
 * Corral's own clients drop them anyway (dropManagedFields), and at a Task's size they are half
 * its JSON, which every watcher and writer would otherwise receive and parse only to throw away.
 */
export function omitsManagedFields(r: ResourceRequest): boolean {
  const v = r.query['omitManagedFields'];
  return v === 'true' || v === '1';
}

/** withoutManagedFields is obj as served to such a client: a copy of root and metadata. */
export function withoutManagedFields(obj: KubeObject): KubeObject {
  if (obj.metadata.managedFields === undefined) return obj;
  return { ...obj, metadata: withoutMember(obj.metadata, 'managedFields') };
}

/** asTable tells whether the client asked for a Table (kubectl get does). */
export function asTable(r: ResourceRequest): boolean {
  const accept = r.req.headers.accept;
  // most requests want plain JSON: only a header that spells `Table` (or escapes a character of
  // a quoted value) can ask for one, so the others skip parsing it
  if (accept === undefined || (!accept.includes('Table') && !accept.includes('\\'))) return false;
  return wantsTable(accept);
}

/**
 * sendObject answers one object, as a one-row Table when asked, without managedFields when asked
 * (omitManagedFields). `rendered`, when the write that stored the object rendered it
 * (Stored.rendered), is its JSON, unless a conversion serves another.
 */
export function sendObject(
  r: ResourceRequest,
  code: number,
  obj: KubeObject,
  rendered?: Rendered,
): void {
  const served = asServed(r.info, obj);
  if (asTable(r)) {
    const table = toTable(r.info, [served], {
      includeObject: includeObjectOf(r),
      now: r.deps.clock.now(),
      listMeta: { resourceVersion: obj.metadata.resourceVersion ?? '' },
    });
    sendJson(r.res, code, table);
    return;
  }
  const lean = omitsManagedFields(r);
  if (rendered !== undefined && served === obj)
    sendJsonText(r.res, code, lean ? rendered.lean() : rendered.json);
  else sendJson(r.res, code, lean ? withoutManagedFields(served) : served);
}

/** sendList answers a list, as a Table when asked. */
export function sendList(r: ResourceRequest, items: readonly KubeObject[], meta: ListMeta): void {
  const lean = omitsManagedFields(r);
  const served = items.map(o => {
    const s = asServed(r.info, o);
    return lean ? withoutManagedFields(s) : s;
  });
  if (asTable(r)) {
    sendJson(
      r.res,
      200,
      toTable(r.info, served, {
        includeObject: includeObjectOf(r),
        now: r.deps.clock.now(),
        listMeta: meta,
      }),
    );
    return;
  }
  sendJson(r.res, 200, {
    apiVersion: apiVersionOf(r.info),
    kind: r.info.listKind,
    metadata: meta,
    items: served,
  });
}
