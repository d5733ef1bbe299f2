import { EtcdClient } from './etcd-client.ts';
import { systemClock, type Clock } from '../../core/util/clock.ts';
import { startCompactor } from './compactor.ts';
import { createEtcdKv, type EtcdObserver, type WriteStats } from './etcd-kv.ts';
import type { GroupCommitLimits } from './group-commit.ts';
import type { EventBufferLimits } from './event-buffer.ts';
import { silentLogger, type StorageLogger } from './logger.ts';
import type { Store } from './types.ts';
import { WatchCaches, type WatchStats } from './watch-caches.ts';

/** EtcdStoreOptions configure createEtcdStore; everything but endpoints has a default. */
export interface EtcdStoreOptions {
  /** endpoints are etcd client URLs, e.g. `http://127.0.0.1:2379`. */
  readonly endpoints: readonly string[];
  readonly logger?: StorageLogger;
  readonly clock?: Clock;
  readonly watchCache?: {
    /** capacity is the number of events each resource's window keeps (default 10 000). */
    readonly capacity?: number;
    /**
     * retentionMs keeps younger events beyond capacity, so a burst cannot shrink the window below
     * this age (default 5 min, but 0 when only capacity is given: then capacity is a hard cap)...
     */
    readonly retentionMs?: number;
    /** maxCapacity ...up to this many events (default 10 × capacity). */
    readonly maxCapacity?: number;
  };
  /** compactionIntervalMs is how often etcd history is compacted (default 5 min; 0 = never). */
  readonly compactionIntervalMs?: number;
  /** requestTimeoutMs is the deadline of each etcd request, watches excepted (default 10 s). */
  readonly requestTimeoutMs?: number;
  /** futureWaitMs is how long a read or watch at a future revision waits (default 2 s). */
  readonly futureWaitMs?: number;
  /** groupCommit bounds how concurrent writes are grouped into transactions (group-commit.ts). */
  readonly groupCommit?: GroupCommitLimits;
  /** observer times every etcd request (metrics; etcd-kv.ts); absent = nobody. */
  readonly observer?: EtcdObserver;
}

/** EtcdStore is the etcd-backed Store plus the hooks tests and metrics need. */
export interface EtcdStore extends Store {
  /** compactNow compacts etcd history up to revision (already compacted is fine). */
  compactNow(revision: string): Promise<void>;
  /** watchStats counts etcd watches, caches and client watches. */
  watchStats(): WatchStats;
  /** writeStats counts the grouped transactions and the writes they carried. */
  writeStats(): WriteStats;
}

function bufferLimits(o: NonNullable<EtcdStoreOptions['watchCache']>): EventBufferLimits {
  const capacity = o.capacity ?? 10_000;
  return {
    capacity,
    retentionMs: o.retentionMs ?? (o.capacity === undefined ? 5 * 60_000 : 0),
    maxCapacity: Math.max(capacity, o.maxCapacity ?? capacity * 10),
  };
}

const ETCD_WINDOW_BYTES = 16 * 1024 * 1024;

/**
 * createEtcdStore connects to etcd and returns the Store: reads and CAS writes go to etcd
 * directly; watches and RV=0 lists are served by one watch cache per resource prefix; a timer
 * compacts history. close() stops all of it and the client.
 */
export function createEtcdStore(opts: EtcdStoreOptions): EtcdStore {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? silentLogger;
  const timeoutMs = opts.requestTimeoutMs ?? 10_000;
  const futureWaitMs = opts.futureWaitMs ?? 2_000;
  const etcd = new EtcdClient({
    hosts: [...opts.endpoints],
    grpcOptions: {
      // a large list must not fail on gRPC's 4 MiB default; kube lifts the limit the same way
      'grpc.max_receive_message_length': -1,
      // HTTP/2's default 64 KiB window lets etcd send only that much before this process has
      // read it and answered with a WINDOW_UPDATE; with the event loop busy serving requests,
      // the watch streams (every write comes back on one) then trailed the writes by seconds
      // under load. Go's gRPC (kube-apiserver's client) grows its windows up to 16 MiB on its own.
      'grpc-node.flow_control_window': ETCD_WINDOW_BYTES,
      // gRPC keeps each request it sent until the answer begins, to retry it transparently if
      // the stream turns out never to have reached etcd. A write transaction's bytes (up to a
      // MiB) then live as long as etcd takes to commit it, long enough under load to outlast
      // young-generation GCs; memory outside the heap that does is freed only by a full GC (see
      // StoredText in etcd-txn.ts). With no retry buffer the call is committed at once and its
      // bytes are dropped once written; a write that fails that way is retried by EtcdClient.
      'grpc.per_rpc_retry_buffer_size': 0,
    },
    // gRPC deadlines are wall-clock instants, hence Date.now(); watch streams have none
    defaultCallOptions: ctx => (ctx.isStream ? {} : { deadline: Date.now() + timeoutMs }),
  });
  const kv = createEtcdKv({
    etcd,
    clock,
    logger,
    futureWaitMs,
    ...(opts.groupCommit === undefined ? {} : { groupCommit: opts.groupCommit }),
    ...(opts.observer === undefined ? {} : { observer: opts.observer }),
    // caches is defined below; no write is sent before this function has returned
    noteWrite: (write, handOver) => caches.noteWrite(write, handOver),
  });
  const caches = new WatchCaches({
    etcd,
    kv,
    clock,
    logger,
    futureWaitMs,
    limits: bufferLimits(opts.watchCache ?? {}),
  });
  const intervalMs = opts.compactionIntervalMs ?? 5 * 60_000;
  const compactor =
    intervalMs > 0
      ? startCompactor({
          intervalMs,
          clock,
          logger,
          currentRevision: kv.currentRevision,
          compact: kv.compact,
        })
      : undefined;
  let closing: Promise<void> | undefined;

  return {
    get: kv.get,
    create: kv.create,
    update: kv.update,
    delete: kv.delete,
    list: kv.list,
    listCached: prefix => caches.listCached(prefix),
    getCached: key => caches.getCached(key),
    watch: watchOpts => caches.watch(watchOpts),
    currentRevision: kv.currentRevision,
    compactNow: kv.compact,
    watchStats: () => caches.stats(),
    writeStats: kv.writeStats,
    close: () => {
      closing ??= (async () => {
        compactor?.stop();
        await caches.close();
        etcd.close();
      })();
      return closing;
    },
  };
}
