import type { IKeyValue } from 'etcd3';
import type { TxnReply } from './txn-codec.ts';
import {
  bytesFieldSize,
  varintFieldSize,
  writeHead,
  writeText,
  writeVarintField,
} from './txn-codec.ts';

/**
 * StoredText is a value to store: its text, written into the request as UTF-8, and that text's
 * size in UTF-8 bytes, measured once. A write keeps its value as text, not as a Buffer of its
 * own: a Buffer lives as long as the write (a group commit's wait, then the wait for its watch
 * event, often past a young-generation GC), and every such Buffer's memory is external to the
 * heap and freed only by a full GC. At a few thousand writes a second that was tens of MB/s,
 * and V8 started a full mark-compact every two or three seconds for "external memory pressure".
 */
export interface StoredText {
  readonly text: string;
  readonly bytes: number;
}

/** storedText measures a value's text. */
export const storedText = (text: string): StoredText => ({ text, bytes: Buffer.byteLength(text) });

/**
 * WriteOp is one CAS write, in the three shapes kube-apiserver (and kine) use:
 * create = If(Mod == 0) Then(Put); update = If(Mod == rev) Then(Put) Else(Get);
 * delete = If(Mod == rev) Then(Delete with prev_kv) Else(Get). `value` is the value to store.
 */
export type WriteOp =
  | { readonly kind: 'create'; readonly key: string; readonly value: StoredText }
  | {
      readonly kind: 'update';
      readonly key: string;
      readonly value: StoredText;
      readonly expectedRv: string;
    }
  | { readonly kind: 'delete'; readonly key: string; readonly expectedRv: string };

/**
 * WriteOutcome is what etcd answered for one WriteOp. `revision` is the store revision after the
 * transaction that carried it (the op's new mod_revision when it succeeded). `current` is the
 * key's value when the compare failed and it exists; `deleted` the value a delete removed.
 */
export interface WriteOutcome {
  readonly succeeded: boolean;
  readonly revision: string;
  readonly current?: IKeyValue;
  readonly deleted?: IKeyValue;
}

/** opBytes is roughly what an op adds to a transaction request, to keep batches under etcd's limit. */
export function opBytes(op: WriteOp): number {
  return op.key.length * 2 + (op.kind === 'delete' ? 0 : op.value.bytes) + 32;
}

// Field numbers of etcd's rpc.proto used below.
const TXN = { compare: 1, success: 2, failure: 3 } as const;
const OP = { range: 1, put: 2, deleteRange: 3, txn: 4 } as const;
const COMPARE = { target: 2, key: 3, modRevision: 6 } as const;
const COMPARE_TARGET_MOD = 2;

// Sizes is one op's transaction measured before it is written (every length prefix needs the
// size of what follows it).
interface Sizes {
  readonly key: StoredText;
  readonly expected: number;
  readonly compare: number;
  readonly success: number;
  readonly successOp: number;
  readonly failure: number;
  readonly failureOp: number;
  readonly txn: number;
}

function revisionNumber(rv: string): number {
  const n = Number(rv);
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`bad revision ${rv}`);
  return n;
}

function measure(op: WriteOp, withElse: boolean): Sizes {
  const key = storedText(op.key);
  const expected = op.kind === 'create' ? 0 : revisionNumber(op.expectedRv);
  const keyField = bytesFieldSize(key.bytes);
  const compare = varintFieldSize(COMPARE_TARGET_MOD) + keyField + varintFieldSize(expected);
  // put: key, value; delete: key, prev_kv = true
  const success =
    op.kind === 'delete'
      ? keyField + varintFieldSize(1)
      : keyField + bytesFieldSize(op.value.bytes);
  const successOp = bytesFieldSize(success);
  // range: key
  const failure = op.kind === 'create' && !withElse ? 0 : keyField;
  const failureOp = failure === 0 ? 0 : bytesFieldSize(failure);
  const txn =
    bytesFieldSize(compare) +
    bytesFieldSize(successOp) +
    (failure === 0 ? 0 : bytesFieldSize(failureOp));
  return { key, expected, compare, success, successOp, failure, failureOp, txn };
}

// writeOpTxn writes the TxnRequest fields of one op (measured as m).
function writeOpTxn(buf: Buffer, at: number, op: WriteOp, m: Sizes): number {
  at = writeHead(buf, at, TXN.compare, m.compare);
  at = writeVarintField(buf, at, COMPARE.target, COMPARE_TARGET_MOD);
  at = writeText(buf, at, COMPARE.key, m.key);
  at = writeVarintField(buf, at, COMPARE.modRevision, m.expected);
  at = writeHead(buf, at, TXN.success, m.successOp);
  if (op.kind === 'delete') {
    at = writeHead(buf, at, OP.deleteRange, m.success);
    at = writeText(buf, at, 1, m.key);
    at = writeVarintField(buf, at, 3, 1);
  } else {
    at = writeHead(buf, at, OP.put, m.success);
    at = writeText(buf, at, 1, m.key);
    at = writeText(buf, at, 2, op.value);
  }
  if (m.failure > 0) {
    at = writeHead(buf, at, TXN.failure, m.failureOp);
    at = writeHead(buf, at, OP.range, m.failure);
    at = writeText(buf, at, 1, m.key);
  }
  return at;
}

function finish(buf: Buffer, end: number): Buffer {
  if (end !== buf.length) throw new Error(`txn request is ${buf.length} bytes, ${end} written`);
  return buf;
}

/**
 * opTxn is the TxnRequest (protobuf bytes) of one op. `withElse` adds the Get on failure to a
 * create too (kine's create has none; inside a batch the read-back saves a second round trip).
 */
export function opTxn(op: WriteOp, withElse: boolean): Buffer {
  const m = measure(op, withElse);
  const buf = Buffer.allocUnsafe(m.txn);
  return finish(buf, writeOpTxn(buf, 0, op, m));
}

/** outcomeOf reads one op's outcome from its transaction's answer. */
export function outcomeOf(op: WriteOp, reply: TxnReply, revision: string): WriteOutcome {
  const { succeeded } = reply;
  const first = reply.responses[0];
  if (!succeeded) {
    const current = first?.range?.[0];
    return current === undefined ? { succeeded, revision } : { succeeded, revision, current };
  }
  if (op.kind !== 'delete') return { succeeded, revision };
  const deleted = first?.deleted?.[0];
  return deleted === undefined ? { succeeded, revision } : { succeeded, revision, deleted };
}

/**
 * batchTxn wraps several ops on distinct keys into one transaction of nested transactions
 * (etcd ≥ 3.3): no compare of its own, each op's own compare decides only that op. One raft
 * entry and one revision for all of them; the ops that succeed share that mod_revision.
 */
export function batchTxn(ops: readonly WriteOp[]): Buffer {
  const sizes = ops.map(op => measure(op, true));
  let total = 0;
  for (const m of sizes) total += bytesFieldSize(bytesFieldSize(m.txn));
  const buf = Buffer.allocUnsafe(total);
  let at = 0;
  ops.forEach((op, i) => {
    const m = sizes[i] as Sizes;
    at = writeHead(buf, at, TXN.success, bytesFieldSize(m.txn));
    at = writeHead(buf, at, OP.txn, m.txn);
    at = writeOpTxn(buf, at, op, m);
  });
  return finish(buf, at);
}

/** batchOutcomes splits a batchTxn's answer back into the ops' outcomes, in order. */
export function batchOutcomes(ops: readonly WriteOp[], reply: TxnReply): WriteOutcome[] {
  return ops.map((op, i) => {
    const inner = reply.responses[i]?.txn;
    if (inner === undefined) throw new Error(`etcd answered no result for write ${i} of a batch`);
    return outcomeOf(op, inner, reply.revision);
  });
}
