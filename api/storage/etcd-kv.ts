import { Range, type IKeyValue } from 'etcd3';
import type { KubeObject } from '../../core/types/meta.ts';
import type { Clock } from '../../core/util/clock.ts';
import { decodeKv, encodeForStore, withResourceVersion } from './codec.ts';
import type { Encoded } from './codec.ts';
import type { EtcdClient } from './etcd-client.ts';
import { etcdCall, toStorageError } from './etcd-errors.ts';
import { batchOutcomes, batchTxn, opTxn, outcomeOf, storedText } from './etcd-txn.ts';
import type { WriteOp, WriteOutcome } from './etcd-txn.ts';
import { decodeTxnResponse } from './txn-codec.ts';
import {
  DEFAULT_GROUP_COMMIT,
  GroupCommit,
  type Committer,
  type GroupCommitLimits,
} from './group-commit.ts';
import type { StorageLogger } from './logger.ts';
import { parsePositiveRevision, parseRevision } from './revision.ts';
import type { Note, NotedWrite } from './own-writes.ts';
import { StorageError, type ListOptions, type ListResult, type Stored } from './types.ts';
import type { CreateOptions } from './types.ts';

/**
 * EtcdKv is the half of the Store that talks to etcd directly: point reads, the three CAS
 * transaction shapes kine accepts (alone, or grouped into one transaction under load; see
 * group-commit.ts), paged ranges and compaction. No other etcd request is issued.
 */
export interface EtcdKv {
  readonly get: (key: string) => Promise<Stored | undefined>;
  readonly create: (key: string, object: KubeObject, opts?: CreateOptions) => Promise<Stored>;
  readonly update: (key: string, object: KubeObject, expectedRv: string) => Promise<Stored>;
  readonly delete: (key: string, expectedRv: string) => Promise<{ rv: string; last: Stored }>;
  readonly list: (prefix: string, opts?: ListOptions) => Promise<KvPage>;
  /** currentRevision is etcd's revision now (a linearizable read of one key). */
  readonly currentRevision: () => Promise<string>;
  /** compact drops history up to revision; a revision already compacted is not an error. */
  readonly compact: (revision: string) => Promise<void>;
  /** writeStats counts the grouped transactions and the writes they carried. */
  readonly writeStats: () => WriteStats;
}

/** WriteStats: `batches` multi-write transactions sent, carrying `batchedWrites` writes. */
export interface WriteStats {
  readonly batches: number;
  readonly batchedWrites: number;
}

/** KvPage is a ListResult that also names the last key read, decodable or not, to page on. */
export interface KvPage extends ListResult {
  readonly lastKey: string | undefined;
}

/**
 * EtcdOperation names an etcd request by what the store asked: a point read, a page of a list,
 * one CAS write alone, a group commit of several (`batch`), the revision probe, a compaction.
 */
export type EtcdOperation =
  'get' | 'list' | 'create' | 'update' | 'delete' | 'batch' | 'revision' | 'compact';

/**
 * EtcdObserver is told how long each etcd request took (failed ones too) and how many writes
 * each write transaction carried (metrics). `start` reads its clock; `done` is given that
 * reading back. Both run on every etcd request, so they must be cheap and synchronous.
 */
export interface EtcdObserver {
  start(): number;
  done(op: EtcdOperation, started: number): void;
  transaction(writes: number): void;
}

const UNOBSERVED: EtcdObserver = { start: () => 0, done: () => {}, transaction: () => {} };

/** EtcdKvOptions are the dependencies of createEtcdKv. */
export interface EtcdKvOptions {
  readonly etcd: EtcdClient;
  readonly clock: Clock;
  readonly logger: StorageLogger;
  /** futureWaitMs is how long a read at a future revision waits before TooLargeResourceVersion. */
  readonly futureWaitMs: number;
  /** groupCommit bounds the transactions concurrent writes are grouped into. */
  readonly groupCommit?: GroupCommitLimits;
  /**
   * noteWrite is told of each create and update before it is sent (NotedWrite), and whether its
   * writer gives the object up; the note it returns is forgotten if the write then fails or its
   * outcome is unknown. The watch caches use it to skip decoding this server's own writes and
   * rendering their events.
   */
  readonly noteWrite?: (write: NotedWrite, handOver: boolean) => Note | undefined;
  /** observer times the etcd requests; absent = nobody. */
  readonly observer?: EtcdObserver;
}

const FUTURE_POLL_MS = 100;
// A key no object lives at: reading it costs nothing and its header carries the revision.
const REVISION_PROBE_KEY = '/';

/** createEtcdKv builds the direct etcd operations of the Store over one etcd3 client. */
export function createEtcdKv(opts: EtcdKvOptions): EtcdKv {
  const { etcd, clock, logger } = opts;
  const observer = opts.observer ?? UNOBSERVED;
  // timed reports how long one etcd request took, failed ones too
  const timed = async <T>(op: EtcdOperation, call: () => Promise<T>): Promise<T> => {
    const started = observer.start();
    try {
      return await call();
    } finally {
      observer.done(op, started);
    }
  };

  const decode = (kv: IKeyValue): Stored | undefined => {
    const stored = decodeKv(kv);
    if (stored === undefined) logger.warn({ key: kv.key.toString() }, 'skipping undecodable value');
    return stored;
  };

  const get = async (key: string): Promise<Stored | undefined> => {
    const res = await timed('get', () => etcdCall(`get ${key}`, () => etcd.get(key).exec()));
    const kv = res.kvs[0];
    return kv === undefined ? undefined : decode(kv);
  };

  const currentRevision = async (): Promise<string> => {
    const res = await timed('revision', () =>
      etcdCall('current revision', () => etcd.get(REVISION_PROBE_KEY).exec()),
    );
    return res.header.revision;
  };

  // one op alone keeps kine's exact transaction shapes; a batch nests them (see etcd-txn.ts)
  const committer: Committer = {
    one: async op => {
      observer.transaction(1);
      const res = await timed(op.kind, () =>
        etcdCall(`${op.kind} ${op.key}`, () => etcd.txnBytes(() => opTxn(op, false))),
      );
      const reply = decodeTxnResponse(res);
      return outcomeOf(op, reply, reply.revision);
    },
    many: async ops => {
      const what = `${ops.length} batched writes`;
      observer.transaction(ops.length);
      const res = await timed('batch', () =>
        etcdCall(what, () => etcd.txnBytes(() => batchTxn(ops))),
      );
      return batchOutcomes(ops, decodeTxnResponse(res));
    },
  };
  const writes = new GroupCommit(committer, opts.groupCommit ?? DEFAULT_GROUP_COMMIT);

  // submitNoted sends a put, noting it for the watch caches first and taking the note back
  // unless the write is known to have landed
  const submitNoted = async (
    op: Extract<WriteOp, { kind: 'create' | 'update' }>,
    object: KubeObject,
    encoded: Encoded,
    handOver = false,
  ): Promise<WriteOutcome> => {
    const note = opts.noteWrite?.(
      { key: op.key, value: op.value, object, served: encoded.served },
      handOver,
    );
    let out: WriteOutcome | undefined;
    try {
      out = await writes.submit(op);
      return out;
    } finally {
      if (out?.succeeded !== true) note?.forget();
    }
  };

  const create = async (
    key: string,
    object: KubeObject,
    opts: CreateOptions = {},
  ): Promise<Stored> => {
    const encoded = encodeForStore(object);
    const value = storedText(encoded.stored);
    const out = await submitNoted({ kind: 'create', key, value }, object, encoded, opts.handOver);
    if (!out.succeeded) {
      const current = out.current === undefined ? await get(key) : decode(out.current);
      throw new StorageError('KeyExists', `${key} already exists`, current);
    }
    const rv = out.revision;
    if (opts.handOver !== true) {
      return { key, object: withResourceVersion(object, rv), rv, rendered: encoded.served(rv) };
    }
    // the object is the store's now (and maybe the watch cache's, which sets the same
    // resourceVersion the same way): no copy; its writer wants no JSON of it
    object.metadata.resourceVersion = rv;
    return { key, object, rv };
  };

  const update = async (key: string, object: KubeObject, expectedRv: string): Promise<Stored> => {
    parsePositiveRevision(expectedRv, `update ${key}`);
    const encoded = encodeForStore(object);
    const value = storedText(encoded.stored);
    const out = await submitNoted({ kind: 'update', key, value, expectedRv }, object, encoded);
    if (!out.succeeded) throw casFailure(key, expectedRv, out.current);
    const rv = out.revision;
    return { key, object: withResourceVersion(object, rv), rv, rendered: encoded.served(rv) };
  };

  const del = async (key: string, expectedRv: string): Promise<{ rv: string; last: Stored }> => {
    parsePositiveRevision(expectedRv, `delete ${key}`);
    // the deleted value comes back with the delete, so the write path needs no read before it
    const out = await writes.submit({ kind: 'delete', key, expectedRv });
    if (!out.succeeded) throw casFailure(key, expectedRv, out.current);
    const last = out.deleted === undefined ? undefined : decode(out.deleted);
    if (last === undefined) throw new StorageError('NotFound', `${key} vanished during delete`);
    return { rv: out.revision, last };
  };

  const casFailure = (key: string, expectedRv: string, kv: IKeyValue | undefined): StorageError => {
    const current = kv === undefined ? undefined : decode(kv);
    if (current === undefined) return new StorageError('NotFound', `${key} not found`);
    return new StorageError(
      'Conflict',
      `${key} is at revision ${current.rv}, not ${expectedRv}`,
      current,
    );
  };

  const list = async (prefix: string, lo: ListOptions = {}): Promise<KvPage> => {
    const what = `list ${prefix}`;
    const revision = lo.revision === undefined ? 0n : parseRevision(lo.revision, what);
    const after = lo.startAfterKey;
    // keys are ASCII paths, so string order is etcd's byte order; a start before the prefix
    // would leak other resources' keys into the page
    const start = after !== undefined && after >= prefix ? `${after}\0` : prefix;
    const end = Range.prefix(prefix).end;
    const deadline = clock.now() + opts.futureWaitMs;
    for (;;) {
      let range = etcd.getAll().inRange({ start, end });
      if (lo.limit !== undefined && lo.limit > 0) range = range.limit(lo.limit);
      if (revision > 0n) range = range.revision(revision.toString());
      try {
        const res = await timed('list', () => range.exec());
        const items: Stored[] = [];
        for (const kv of res.kvs) {
          const stored = decode(kv);
          if (stored !== undefined) items.push(stored);
        }
        return {
          items,
          revision: revision > 0n ? revision.toString() : res.header.revision,
          more: res.more,
          remaining: Math.max(0, Number(res.count) - res.kvs.length),
          lastKey: res.kvs.at(-1)?.key.toString(),
        };
      } catch (e) {
        const err = toStorageError(e, what);
        if (err.code !== 'TooLargeResourceVersion') throw err;
        // kube waits briefly for a revision it has not seen yet before giving up
        if (clock.now() >= deadline) {
          const current = await currentRevision();
          throw new StorageError(
            'TooLargeResourceVersion',
            `Too large resource version: ${revision.toString()}, current: ${current}`,
          );
        }
        await clock.sleep(FUTURE_POLL_MS);
      }
    }
  };

  const compact = async (revision: string): Promise<void> => {
    parseRevision(revision, 'compact');
    try {
      await timed('compact', () => etcd.kv.compact({ revision }));
    } catch (e) {
      const err = toStorageError(e, `compact to ${revision}`);
      if (err.code !== 'Compacted') throw err;
    }
  };

  const writeStats = (): WriteStats => ({
    batches: writes.stats.batches,
    batchedWrites: writes.stats.batchedOps,
  });

  return { get, create, update, delete: del, list, currentRevision, compact, writeStats };
}
