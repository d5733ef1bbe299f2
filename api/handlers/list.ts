import type { KubeObject } from '../../core/types/meta.ts';
import { ApiError, invalid } from '../../core/errors/index.ts';
import { collectionPrefix } from '../registry/keys.ts';
import { StorageError } from '../storage/types.ts';
import type { ResourceRequest } from './context.ts';
import { decodeContinue, encodeContinue } from './continue-token.ts';
import { filterOf } from './filter.ts';
import { sendList, type ListMeta } from './render.ts';
import { mapStorageError } from './write-path.ts';

const LIST_OPTIONS = { kind: 'ListOptions', group: 'meta.k8s.io', name: '' };

function checkListOptions(q: Readonly<Record<string, string>>): void {
  const match = q['resourceVersionMatch'];
  const fail = (field: string, message: string): never => {
    throw invalid(LIST_OPTIONS, [{ reason: 'FieldValueForbidden', field, message }]);
  };
  if (q['sendInitialEvents'] !== undefined)
    fail('sendInitialEvents', 'Forbidden: sendInitialEvents is forbidden for list');
  if (match === undefined) return;
  if (q['resourceVersion'] === undefined) {
    fail(
      'resourceVersionMatch',
      'Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    );
  }
  if (q['continue'] !== undefined) {
    fail(
      'resourceVersionMatch',
      'Forbidden: resourceVersionMatch is forbidden when continue is provided',
    );
  }
  if (match === 'Exact' && q['resourceVersion'] === '0') {
    fail(
      'resourceVersionMatch',
      'Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
    );
  }
  if (match !== 'Exact' && match !== 'NotOlderThan') {
    throw invalid(LIST_OPTIONS, [
      {
        reason: 'FieldValueNotSupported',
        field: 'resourceVersionMatch',
        message: `Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`,
      },
    ]);
  }
}

function limitOf(q: Readonly<Record<string, string>>): number {
  const raw = q['limit'];
  if (raw === undefined || raw === '') return 0;
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

function tooOld(continuing: boolean): ApiError {
  return continuing
    ? new ApiError(
        'Expired',
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      )
    : new ApiError('Expired', 'The resourceVersion for the provided list is too old.');
}

/** list answers GET on a collection: selectors, limit/continue and resourceVersion semantics. */
export async function list(r: ResourceRequest): Promise<void> {
  const q = r.query;
  checkListOptions(q);
  const { store } = r.deps;
  const prefix = collectionPrefix(r.info, r.deps.root, r.namespace);
  const filter = filterOf(r);
  const rv = q['resourceVersion'];
  const cont = q['continue'];
  const limit = limitOf(q);
  if (cont === undefined && rv === '0') {
    const cached = await store.listCached(prefix);
    const objs = cached.items.map(s => s.object);
    sendList(r, filter === undefined ? objs : objs.filter(filter), {
      resourceVersion: cached.revision,
    });
    return;
  }
  let revision: string | undefined;
  let startAfterKey: string | undefined;
  if (cont !== undefined && cont !== '') {
    const token = decodeContinue(cont);
    revision = token.rv;
    startAfterKey = prefix + token.start;
  } else if (rv !== undefined && rv !== '') {
    const exact =
      q['resourceVersionMatch'] === 'Exact' ||
      (q['resourceVersionMatch'] === undefined && limit > 0);
    if (exact) revision = rv;
    else await ensureRevisionReached(r, rv);
  }
  try {
    const page = await readPage(r, { prefix, filter, limit, revision, startAfterKey });
    sendList(r, page.items, page.meta);
  } catch (e) {
    if (e instanceof StorageError && e.code === 'Compacted') throw tooOld(cont !== undefined);
    throw mapStorageError(r, e);
  }
}

async function ensureRevisionReached(r: ResourceRequest, rv: string): Promise<void> {
  if (!/^\d+$/.test(rv)) {
    throw invalid(LIST_OPTIONS, [
      {
        reason: 'FieldValueInvalid',
        field: 'resourceVersion',
        message: `Invalid value: "${rv}": must be an integer`,
      },
    ]);
  }
  for (let i = 0; i < 30; i++) {
    const current = await r.deps.store.currentRevision();
    if (BigInt(current) >= BigInt(rv)) return;
    await r.deps.clock.sleep(100);
  }
  const current = await r.deps.store.currentRevision();
  throw new ApiError('Timeout', `Too large resource version: ${rv}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

interface PageRequest {
  readonly prefix: string;
  readonly filter: ((o: KubeObject) => boolean) | undefined;
  readonly limit: number;
  readonly revision: string | undefined;
  readonly startAfterKey: string | undefined;
}

/**
 * readPage collects up to `limit` matching objects, reading further etcd pages at the same
 * revision when a selector filters some out, and builds the continue token from the last key read.
 */
async function readPage(
  r: ResourceRequest,
  p: PageRequest,
): Promise<{ items: KubeObject[]; meta: ListMeta }> {
  const items: KubeObject[] = [];
  let revision = p.revision;
  let startAfterKey = p.startAfterKey;
  let lastKey: string | undefined;
  let more = false;
  let remaining: number | undefined;
  for (;;) {
    const res = await r.deps.store.list(p.prefix, {
      ...(p.limit > 0 ? { limit: p.limit } : {}),
      ...(revision === undefined ? {} : { revision }),
      ...(startAfterKey === undefined ? {} : { startAfterKey }),
    });
    revision = res.revision;
    let stoppedEarly = false;
    for (let i = 0; i < res.items.length; i++) {
      const s = res.items[i];
      if (s === undefined) continue;
      lastKey = s.key;
      if (p.filter === undefined || p.filter(s.object)) items.push(s.object);
      if (p.limit > 0 && items.length >= p.limit) {
        stoppedEarly = i < res.items.length - 1;
        break;
      }
    }
    more = stoppedEarly || res.more;
    remaining = res.remaining;
    if (!more || (p.limit > 0 && items.length >= p.limit) || lastKey === undefined) break;
    startAfterKey = lastKey;
  }
  const meta: ListMeta = { resourceVersion: revision };
  if (more && lastKey !== undefined) {
    meta.continue = encodeContinue({ rv: revision, start: lastKey.slice(p.prefix.length) });
    if (p.filter === undefined && remaining !== undefined && remaining > 0)
      meta.remainingItemCount = remaining;
  }
  return { items, meta };
}
