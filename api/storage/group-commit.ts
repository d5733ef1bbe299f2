import { opBytes, type WriteOp, type WriteOutcome } from './etcd-txn.ts';

/** Committer sends transactions to etcd: one op alone, or several on distinct keys at once. */
export interface Committer {
  one(op: WriteOp): Promise<WriteOutcome>;
  many(ops: readonly WriteOp[]): Promise<readonly WriteOutcome[]>;
}

/** GroupCommitLimits bound the transactions the group committer builds. */
export interface GroupCommitLimits {
  /** maxInFlight is how many transactions may be outstanding at once; more writes queue. */
  readonly maxInFlight: number;
  /**
   * maxOps caps the writes of one transaction. etcd (--max-txn-ops, default 128) lets a nested
   * transaction use only what the outer one left of that budget, so 128 nested writes fail
   * ("too many operations in txn request"); 127 is the most that fits.
   */
  readonly maxOps: number;
  /** maxBytes caps one transaction's size (etcd's --max-request-bytes defaults to 1.5 MiB). */
  readonly maxBytes: number;
  /**
   * linger, PostgreSQL's commit_delay for etcd: while writes arrive close enough together that
   * `minShare` of them are expected within `ms`, a write that could leave at once waits up to
   * `ms` for company. A steady stream of writes spread out in time (5000 agents renewing their
   * Leases, 500/s) otherwise leaves one write per transaction, each paying etcd's whole cost of
   * a raft entry and the client call: lingering 10 ms there cut etcd's CPU by about half and the
   * API server's by a quarter. A lone write, or a trickle, never waits.
   */
  readonly linger?: { readonly ms: number; readonly minShare: number };
}

export const DEFAULT_GROUP_COMMIT: GroupCommitLimits = {
  maxInFlight: 2,
  maxOps: 100,
  maxBytes: 1024 * 1024,
  linger: { ms: 10, minShare: 2 },
};

// the weight of the newest gap in the running mean of the gaps between writes
const GAP_WEIGHT = 0.1;

interface Pending {
  readonly op: WriteOp;
  readonly resolve: (o: WriteOutcome) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * GroupCommit is group commit for CAS writes: a write goes to etcd at once while fewer than
 * `maxInFlight` transactions are outstanding; otherwise it waits, and when a transaction returns
 * everything that waited goes out together as one transaction of per-op nested transactions.
 * Under load most of etcd's per-request cost (client call, raft entry, revision) is paid once
 * per batch instead of once per write; when idle, a write pays no added latency.
 *
 * Two writes of one key never share a transaction (etcd refuses it); the later one waits for the
 * next, so writes of a key leave in the order they came.
 */
export class GroupCommit {
  readonly #committer: Committer;
  readonly #limits: GroupCommitLimits;
  #queue: Pending[] = [];
  #inFlight = 0;
  readonly #now: () => number;
  #lastAt: number | undefined;
  /** meanGapMs is a running mean of the time between two writes (Infinity before two). */
  #meanGapMs = Infinity;
  #timer: NodeJS.Timeout | undefined;
  #batches = 0;
  #batchedOps = 0;

  constructor(
    committer: Committer,
    limits: GroupCommitLimits = DEFAULT_GROUP_COMMIT,
    now: () => number = () => performance.now(),
  ) {
    this.#committer = committer;
    this.#limits = limits;
    this.#now = now;
  }

  /** stats counts the multi-op transactions sent and the ops they carried. */
  get stats(): { readonly batches: number; readonly batchedOps: number } {
    return { batches: this.#batches, batchedOps: this.#batchedOps };
  }

  /** submit sends op in the next transaction that can take it; resolves with its outcome. */
  submit(op: WriteOp): Promise<WriteOutcome> {
    const now = this.#now();
    if (this.#lastAt !== undefined) {
      const gap = now - this.#lastAt;
      this.#meanGapMs =
        this.#meanGapMs === Infinity ? gap : this.#meanGapMs + GAP_WEIGHT * (gap - this.#meanGapMs);
    }
    this.#lastAt = now;
    return new Promise<WriteOutcome>((resolve, reject) => {
      this.#queue.push({ op, resolve, reject });
      this.#schedule();
    });
  }

  // schedule sends now, or lingers (see GroupCommitLimits.linger) when company is expected soon
  #schedule(): void {
    const linger = this.#limits.linger;
    const full = this.#queue.length >= this.#limits.maxOps;
    if (linger === undefined || full || linger.ms / this.#meanGapMs < linger.minShare) {
      this.#pump();
      return;
    }
    if (this.#timer !== undefined || this.#inFlight >= this.#limits.maxInFlight) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#pump();
    }, linger.ms);
  }

  #pump(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    while (this.#inFlight < this.#limits.maxInFlight && this.#queue.length > 0) {
      this.#send(this.#take());
    }
  }

  /** take removes the next batch from the queue: oldest first, distinct keys, within limits. */
  #take(): Pending[] {
    const batch: Pending[] = [];
    const keys = new Set<string>();
    const rest: Pending[] = [];
    let bytes = 0;
    for (const p of this.#queue) {
      const size = opBytes(p.op);
      const fits =
        batch.length < this.#limits.maxOps &&
        (batch.length === 0 || bytes + size <= this.#limits.maxBytes) &&
        !keys.has(p.op.key);
      if (fits) {
        batch.push(p);
        keys.add(p.op.key);
        bytes += size;
      } else {
        // a key seen once stays blocked for the rest of this pass, keeping per-key order
        keys.add(p.op.key);
        rest.push(p);
      }
    }
    this.#queue = rest;
    return batch;
  }

  #send(batch: Pending[]): void {
    this.#inFlight += 1;
    const done = (): void => {
      this.#inFlight -= 1;
      this.#pump();
    };
    const only = batch.length === 1 ? batch[0] : undefined;
    if (only !== undefined) {
      this.#committer.one(only.op).then(only.resolve, only.reject).finally(done);
      return;
    }
    this.#batches += 1;
    this.#batchedOps += batch.length;
    this.#committer
      .many(batch.map(p => p.op))
      .then(
        outcomes => {
          batch.forEach((p, i) => {
            const outcome = outcomes[i];
            if (outcome === undefined) p.reject(new Error('a batched write got no outcome'));
            else p.resolve(outcome);
          });
        },
        (err: unknown) => {
          for (const p of batch) p.reject(err);
        },
      )
      .finally(done);
  }
}
