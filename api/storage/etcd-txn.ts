import { CompareResult, CompareTarget } from 'etcd3';
import type { IKeyValue, IRequestOp, IResponseOp, ITxnRequest, ITxnResponse } from 'etcd3';

/**
 * WriteOp is one CAS write, in the three shapes kube-apiserver (and kine) use:
 * create = If(Mod == 0) Then(Put); update = If(Mod == rev) Then(Put) Else(Get);
 * delete = If(Mod == rev) Then(Delete with prev_kv) Else(Get).
 */
export type WriteOp =
  | { readonly kind: 'create'; readonly key: string; readonly value: string }
  | {
      readonly kind: 'update';
      readonly key: string;
      readonly value: string;
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
  return op.key.length * 2 + (op.kind === 'delete' ? 0 : op.value.length) + 32;
}

/**
 * opTxn is the transaction of one op. `withElse` adds the Get on failure to a create too (kine's
 * create has none; inside a batch the read-back saves a second round trip).
 */
export function opTxn(op: WriteOp, withElse: boolean): ITxnRequest {
  const key = Buffer.from(op.key);
  const expected = op.kind === 'create' ? '0' : op.expectedRv;
  const compare = [
    { key, result: CompareResult.Equal, target: CompareTarget.Mod, mod_revision: expected },
  ];
  let success: IRequestOp;
  switch (op.kind) {
    case 'create':
    case 'update':
      success = { request_put: { key, value: Buffer.from(op.value) } };
      break;
    case 'delete':
      success = { request_delete_range: { key, prev_kv: true } };
      break;
  }
  const failure: IRequestOp[] =
    op.kind === 'create' && !withElse ? [] : [{ request_range: { key } }];
  return { compare, success: [success], failure };
}

/** outcomeOf reads one op's outcome from its transaction's responses. */
export function outcomeOf(
  op: WriteOp,
  succeeded: boolean,
  responses: readonly IResponseOp[],
  revision: string,
): WriteOutcome {
  const first = responses[0];
  if (!succeeded) {
    const current = first?.response_range?.kvs[0];
    return current === undefined ? { succeeded, revision } : { succeeded, revision, current };
  }
  if (op.kind !== 'delete') return { succeeded, revision };
  const deleted = first?.response_delete_range?.prev_kvs[0];
  return deleted === undefined ? { succeeded, revision } : { succeeded, revision, deleted };
}

/**
 * batchTxn wraps several ops on distinct keys into one transaction of nested transactions
 * (etcd ≥ 3.3): no compare of its own, each op's own compare decides only that op. One raft
 * entry and one revision for all of them; the ops that succeed share that mod_revision.
 */
export function batchTxn(ops: readonly WriteOp[]): ITxnRequest {
  return {
    compare: [],
    success: ops.map(op => ({ request_txn: opTxn(op, true) })),
    failure: [],
  };
}

/** batchOutcomes splits a batchTxn's response back into the ops' outcomes, in order. */
export function batchOutcomes(ops: readonly WriteOp[], res: ITxnResponse): WriteOutcome[] {
  const revision = res.header.revision;
  return ops.map((op, i) => {
    const inner = res.responses[i]?.response_txn;
    if (inner === undefined) throw new Error(`etcd answered no result for write ${i} of a batch`);
    return outcomeOf(op, inner.succeeded, inner.responses, revision);
  });
}
