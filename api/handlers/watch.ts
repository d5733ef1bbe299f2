import type { KubeObject } from '../../core/types/meta.ts';
import { invalid } from '../../core/errors/index.ts';
import { toTable } from '../table/index.ts';
import { apiVersionOf, storagePrefix } from '../registry/resource-info.ts';
import { collectionPrefix } from '../registry/keys.ts';
import type { Rendered, StorageError, WatchEvent, WatchEventType } from '../storage/types.ts';
import type { ResourceRequest } from './context.ts';
import { asServed } from './context.ts';
import { filterOf } from './filter.ts';
import { asTable, includeObjectOf, omitsManagedFields, withoutManagedFields } from './render.ts';

/** HEARTBEAT_MS: a bare newline this often keeps idle streams open (client-node aborts at 30 s). */
const HEARTBEAT_MS = 10_000;
/** BOOKMARK_MS: bookmark cadence when the client asked for bookmarks. */
const BOOKMARK_MS = 60_000;

type OutType = WatchEventType | 'BOOKMARK' | 'ERROR';

// An event goes to every watcher of its resource as the same object (the watch cache's, never
// changed), to one watcher after another in one synchronous fan-out (the cache's dispatch): its
// line is encoded for the first watcher and the bytes reused for the rest. Only the event being
// fanned out is remembered. Lines kept as long as their objects (the replay buffer holds those
// for minutes) each pinned the 64 KiB Buffer pool slab they were cut from: ~200 MB of external
// memory in the e2e bench, whose growth made V8 start a full mark-compact every ~2 s (reason
// "external memory pressure"), each marking the whole heap on the GC helper threads.
class LineMemo {
  #object: KubeObject | undefined;
  #type: WatchEventType | undefined;
  #line = Buffer.alloc(0);

  /** line is the object's event line, rendered by `text` unless it is the last one asked for. */
  line(type: WatchEventType, object: KubeObject, text: () => string): Buffer {
    if (object !== this.#object || type !== this.#type) {
      this.#line = Buffer.from(text());
      this.#object = object;
      this.#type = type;
    }
    return this.#line;
  }
}

// `rendered`, the object's JSON as its write rendered it (WatchEvent.rendered), saves rendering
// it again, in full or lean.
const fullLines = new LineMemo();

function eventLine(type: WatchEventType, object: KubeObject, rendered: Rendered | undefined) {
  return fullLines.line(type, object, () =>
    rendered === undefined
      ? `${JSON.stringify({ type, object })}\n`
      : `{"type":"${type}","object":${rendered.json}}\n`,
  );
}

// The line of an event for a watcher that asked for objects without managedFields
// (omitManagedFields), once per event too for every such watcher.
const leanLines = new LineMemo();

function leanEventLine(type: WatchEventType, object: KubeObject, rendered: Rendered | undefined) {
  if (object.metadata.managedFields === undefined) return eventLine(type, object, rendered);
  return leanLines.line(type, object, () =>
    rendered === undefined
      ? `${JSON.stringify({ type, object: withoutManagedFields(object) })}\n`
      : `{"type":"${type}","object":${rendered.lean()}}\n`,
  );
}

function timeoutMsOf(r: ResourceRequest): number {
  const raw = r.query['timeoutSeconds'];
  const n = raw === undefined ? NaN : Number(raw);
  // kube picks a random 30–60 min when the client gives none, spreading reconnects
  const wanted = Number.isFinite(n) && n > 0 ? n * 1000 : (30 + Math.random() * 30) * 60_000;
  const cap = r.deps.maxWatchSeconds;
  return cap === undefined ? wanted : Math.min(wanted, cap * 1000);
}

/** transition applies section-7 selector semantics: entering → ADDED, leaving → DELETED (old object). */
function transition(
  ev: WatchEvent,
  matches: ((o: KubeObject) => boolean) | undefined,
): { type: WatchEventType; object: KubeObject } | undefined {
  if (matches === undefined) return { type: ev.type, object: ev.object };
  const now = ev.type !== 'DELETED' && matches(ev.object);
  const before =
    ev.type === 'ADDED'
      ? false
      : ev.prev !== undefined
        ? matches(ev.prev)
        : ev.type === 'DELETED' && matches(ev.object);
  if (ev.type === 'DELETED') return before ? { type: 'DELETED', object: ev.object } : undefined;
  if (now && before) return { type: 'MODIFIED', object: ev.object };
  if (now) return { type: 'ADDED', object: ev.object };
  if (before && ev.prev !== undefined) {
    const last = { ...ev.prev, metadata: { ...ev.prev.metadata, resourceVersion: ev.rv } };
    return { type: 'DELETED', object: last };
  }
  return undefined;
}

function checkWatchOptions(q: Readonly<Record<string, string>>): void {
  if (q['sendInitialEvents'] !== undefined || q['resourceVersionMatch'] !== undefined) {
    throw invalid({ kind: 'ListOptions', group: 'meta.k8s.io', name: '' }, [
      {
        reason: 'FieldValueForbidden',
        field: 'sendInitialEvents',
        message:
          'Forbidden: sendInitialEvents (watch-list) is not supported by this server; use list then watch',
      },
    ]);
  }
}

/**
 * watch streams newline-delimited watch events for a collection, from the watch cache: initial
 * ADDED events when no resourceVersion was given, 410 as an ERROR event when the start is too
 * old, Tables when asked (column definitions only on the first), a newline heartbeat, bookmarks
 * only on request, and a server-side timeout.
 */
export function watch(r: ResourceRequest): Promise<void> {
  checkWatchOptions(r.query);
  const matches = filterOf(r);
  const table = asTable(r);
  const include = includeObjectOf(r);
  const line = omitsManagedFields(r) ? leanEventLine : eventLine;
  const bookmarks =
    r.query['allowWatchBookmarks'] === 'true' || r.query['allowWatchBookmarks'] === '1';
  const rv = r.query['resourceVersion'];
  const { res } = r;
  res.status(200).set({ 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  res.socket?.setNoDelay(true);
  let sentHeaders = false;
  let lastRv = rv ?? '0';

  const write = (type: OutType, object: unknown): void => {
    res.write(`${JSON.stringify({ type, object })}\n`);
  };
  const emit = (type: WatchEventType, obj: KubeObject, rendered: Rendered | undefined): void => {
    const served = asServed(r.info, obj);
    if (!table) {
      // the JSON is the stored object's: a conversion made another
      res.write(line(type, served, served === obj ? rendered : undefined));
      return;
    }
    const t = toTable(r.info, [served], {
      includeObject: include,
      noHeaders: sentHeaders,
      now: r.deps.clock.now(),
      listMeta: { resourceVersion: obj.metadata.resourceVersion ?? '' },
    });
    sentHeaders = true;
    write(type, t);
  };

  return new Promise<void>(resolve => {
    let finished = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (): void => {
      if (finished) return;
      finished = true;
      for (const t of timers) clearInterval(t);
      watcher.stop();
      res.end();
      resolve();
    };
    const watcher = r.deps.store.watch({
      prefix: collectionPrefix(r.info, r.deps.root, r.namespace),
      resourcePrefix: storagePrefix(r.info, r.deps.root),
      ...(rv === undefined || rv === '' || rv === '0' ? {} : { fromRevision: rv }),
      onEvent: ev => {
        if (finished) return;
        lastRv = ev.rv;
        const out = transition(ev, matches);
        if (out !== undefined)
          emit(out.type, out.object, out.object === ev.object ? ev.rendered : undefined);
      },
      onError: (err: StorageError) => {
        if (finished) return;
        const code =
          err.code === 'Compacted' ? 410 : err.code === 'TooLargeResourceVersion' ? 504 : 500;
        const reason = code === 410 ? 'Expired' : code === 504 ? 'Timeout' : 'InternalError';
        const message =
          code === 410 ? `too old resource version: ${lastRv} (${err.message})` : err.message;
        write('ERROR', {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message,
          reason,
          code,
        });
        finish();
      },
    });
    timers.push(setInterval(() => res.write('\n'), HEARTBEAT_MS));
    if (bookmarks) {
      timers.push(
        setInterval(() => {
          write('BOOKMARK', {
            kind: r.info.kind,
            apiVersion: apiVersionOf(r.info),
            metadata: { resourceVersion: lastRv },
          });
        }, BOOKMARK_MS),
      );
    }
    timers.push(setTimeout(finish, timeoutMsOf(r)));
    r.req.on('close', finish);
    res.on('close', finish);
  });
}
