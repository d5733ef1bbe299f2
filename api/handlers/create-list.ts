// Creating many objects in one request: POST of a List to a collection. Kubernetes has no such
// verb (kubectl splits Lists client-side); Corral adds it because the allocator publishes
// thousands of Offers per cycle (DESIGN §4, "offers are written in batches"), and one request
// per Offer would spend most of its time on HTTP rather than on the Offers.
import type { KubeObject } from '../../core/types/meta.ts';
import { ApiError, badRequest, invalid, isApiError } from '../../core/errors/index.ts';
import type { StatusCause } from '../../core/errors/index.ts';
import { prepareCreate } from '../registry/strategy.ts';
import { setWarnings, sendJson } from '../server/respond.ts';
import type { Admission } from './admission.ts';
import type { ResourceRequest } from './context.ts';
import { isDryRun, keyOf, writeContextOf } from './context.ts';
import { mapStorageError, withManagedFields } from './write-path.ts';

/** MAX_ITEMS bounds one list create; the 3 MiB body limit usually bounds it first. */
export const MAX_LIST_ITEMS = 1000;

/** isListBody tells a List (`List` or `<Kind>List`) from a single object. */
export function isListBody(r: ResourceRequest, body: unknown): body is { items: unknown } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const kind = (body as Record<string, unknown>)['kind'];
  return kind === 'List' || kind === `${r.info.kind}List`;
}

/** atItem re-roots an item's error under `items[i]` so the client knows which one failed. */
function atItem(e: unknown, i: number): unknown {
  if (!isApiError(e)) return e;
  const causes = e.details?.causes?.map((c): StatusCause => ({
    ...c,
    field: `items[${i}]${c.field === undefined ? '' : `.${c.field}`}`,
  }));
  const details =
    e.details === undefined ? undefined : { ...e.details, ...(causes ? { causes } : {}) };
  return new ApiError(e.reason, `items[${i}]: ${e.message}`, details);
}

/**
 * partial is what the answer shows of a created item: its metadata only, as a
 * PartialObjectMetadata. Echoing every whole object would cost the server more than storing
 * them (JSON and TLS for the full batch again) for an answer the writer already knows.
 */
function partial(obj: KubeObject): KubeObject {
  const m = obj.metadata;
  // members set one by one (no spreads of conditional objects): one answer item per Offer
  const metadata: KubeObject['metadata'] = { name: m.name ?? '' };
  if (m.namespace !== undefined) metadata.namespace = m.namespace;
  if (m.uid !== undefined) metadata.uid = m.uid;
  if (m.resourceVersion !== undefined) metadata.resourceVersion = m.resourceVersion;
  if (m.generation !== undefined) metadata.generation = m.generation;
  if (m.creationTimestamp !== undefined) metadata.creationTimestamp = m.creationTimestamp;
  return { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata };
}

/** itemRequest is the request as item i sees it: its own namespace on the all-namespaces path. */
function itemRequest(r: ResourceRequest, item: unknown): ResourceRequest {
  if (!r.info.namespaced || r.namespace !== undefined) return r;
  const meta = (item as { metadata?: { namespace?: unknown } } | null)?.metadata;
  const ns = meta?.namespace;
  if (typeof ns !== 'string' || ns === '') {
    throw invalid({ kind: r.info.kind, group: r.info.group, name: '' }, [
      {
        reason: 'FieldValueRequired',
        field: 'metadata.namespace',
        message: 'Required value: a list posted to all namespaces names each item’s namespace',
      },
    ]);
  }
  return { ...r, namespace: ns };
}

/**
 * createList answers POST of a List: every item is prepared and admitted exactly as a single
 * create would be, and if any is refused the whole request is (nothing is written, the error
 * names `items[i]`). Then all are stored at once (the store groups them into shared etcd
 * transactions). An item that fails in storage (AlreadyExists) does not undo the others: the
 * answer is a List with, per item, the stored object's metadata (a PartialObjectMetadata) or the
 * Status of its failure; 201 when all were created, else 200. Namespaced kinds may be posted to the all-namespaces path when every
 * item names its namespace.
 */
export async function createList(
  r: ResourceRequest,
  admission: Admission,
  body: { items: unknown },
): Promise<void> {
  const items = body.items;
  if (!Array.isArray(items)) throw badRequest('a List must have an items array');
  if (items.length > MAX_LIST_ITEMS)
    throw badRequest(`a List create takes at most ${MAX_LIST_ITEMS} items, not ${items.length}`);
  const warnings: string[] = [];
  const prepared: { r: ResourceRequest; obj: KubeObject; key: string }[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < items.length; i++) {
    try {
      const ir = itemRequest(r, items[i]);
      const ctx = writeContextOf(ir);
      const obj = withManagedFields(ir, undefined, prepareCreate(ctx, items[i]), ctx.now);
      await admission.admitCreate(ir, obj);
      const key = keyOf(ir, obj.metadata.name ?? '');
      const first = seen.get(key);
      if (first !== undefined) {
        throw invalid({ kind: r.info.kind, group: r.info.group, name: obj.metadata.name ?? '' }, [
          {
            reason: 'FieldValueDuplicate',
            field: 'metadata.name',
            message: `Duplicate value: the same object as items[${first}]`,
          },
        ]);
      }
      seen.set(key, i);
      warnings.push(...ctx.warnings.map(w => `items[${i}]: ${w}`));
      prepared.push({ r: ir, obj, key });
    } catch (e) {
      throw atItem(e, i);
    }
  }
  const results: unknown[] = isDryRun(r)
    ? prepared.map(p => partial(p.obj))
    : await Promise.all(
        prepared.map(async p => {
          const name = p.obj.metadata.name ?? '';
          try {
            // the answer needs only the metadata, so the object goes to the store for good:
            // its watch cache keeps it instead of a copy (Store.create's handOver)
            const stored = await r.deps.store.create(p.key, p.obj, { handOver: true });
            return partial(stored.object);
          } catch (e) {
            const err = mapStorageError(p.r, e, name);
            if (isApiError(err)) return err.toStatus();
            throw err;
          }
        }),
      );
  const allCreated = results.every(x => (x as { kind?: unknown }).kind !== 'Status');
  setWarnings(r.res, warnings);
  sendJson(r.res, allCreated ? 201 : 200, {
    apiVersion: 'v1',
    kind: 'List',
    metadata: {},
    items: results,
  });
}
