import type { EtcdObserver, EtcdOperation } from '../storage/index.ts';
import type { CellHistogram, HistogramCell } from './cells.ts';
import { assertNever } from '../../core/util/assert-never.ts';

/** EtcdMetricSet are the metrics EtcdMetrics updates. */
export interface EtcdMetricSet {
  /** duration: etcd_request_duration_seconds{operation,type}. */
  readonly duration: CellHistogram;
  /** groupCommit: corral_etcd_group_commit_size, writes per write transaction. */
  readonly groupCommit: CellHistogram;
}

/** EtcdRequestType is the etcd RPC an operation is sent as: the `type` label. */
export type EtcdRequestType = 'range' | 'txn' | 'compact';

/** ETCD_OPERATIONS lists every EtcdOperation (each gets its cell up front). */
export const ETCD_OPERATIONS: readonly EtcdOperation[] = [
  'get',
  'list',
  'create',
  'update',
  'delete',
  'batch',
  'revision',
  'compact',
];

/** etcdRequestType says which etcd RPC carries an operation. */
export function etcdRequestType(op: EtcdOperation): EtcdRequestType {
  switch (op) {
    case 'get':
    case 'list':
    case 'revision':
      return 'range';
    case 'create':
    case 'update':
    case 'delete':
    case 'batch':
      return 'txn';
    case 'compact':
      return 'compact';
    default:
      return assertNever(op, 'etcd operation');
  }
}

/**
 * EtcdMetrics is the storage's EtcdObserver: one histogram cell per operation, made up front,
 * so an etcd request costs two clock reads and a bucket scan.
 */
export class EtcdMetrics implements EtcdObserver {
  readonly #cells: Readonly<Record<EtcdOperation, HistogramCell>>;
  readonly #groupCommit: HistogramCell;
  readonly #now: () => number;

  /** now is a monotonic clock in milliseconds (performance.now by default). */
  constructor(set: EtcdMetricSet, now: () => number = () => performance.now()) {
    const cells = {} as Record<EtcdOperation, HistogramCell>;
    for (const op of ETCD_OPERATIONS) {
      cells[op] = set.duration.cell({ operation: op, type: etcdRequestType(op) });
    }
    this.#cells = cells;
    this.#groupCommit = set.groupCommit.cell({});
    this.#now = now;
  }

  start(): number {
    return this.#now();
  }

  done(op: EtcdOperation, started: number): void {
    this.#cells[op].observe((this.#now() - started) / 1000);
  }

  transaction(writes: number): void {
    this.#groupCommit.observe(writes);
  }
}
