// The store writes etcd's TxnRequest and reads its TxnResponse itself (etcd-txn.ts,
// txn-codec.ts); the integration tests run them against etcd, these pin the bytes.
import { expect } from 'chai';
import { batchOutcomes, batchTxn, opTxn, storedText } from '../../../../api/storage/etcd-txn.ts';
import { decodeTxnResponse, varintSize } from '../../../../api/storage/txn-codec.ts';

const bytes = (...parts: (number | string)[]): Buffer =>
  Buffer.concat(parts.map(p => (typeof p === 'string' ? Buffer.from(p) : Buffer.from([p]))));

// field tags of rpc.proto / kv.proto as they appear on the wire
const ld = (tag: number, body: Buffer): Buffer =>
  Buffer.concat([varint(tag), varint(body.length), body]);
function varint(n: number | bigint): Buffer {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  while (v >= 128n) {
    out.push(Number(v & 127n) | 128);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

describe('etcd Txn in protobuf bytes', () => {
  it('writes a create as If(mod_revision == 0) Then(Put)', () => {
    const compare = bytes(0x10, 2, 0x1a, 1, 'k', 0x30, 0);
    const put = ld(0x12, bytes(0x0a, 1, 'k', 0x12, 1, 'v'));
    const want = Buffer.concat([ld(0x0a, compare), ld(0x12, put)]);
    expect(opTxn({ kind: 'create', key: 'k', value: storedText('v') }, false)).to.deep.equal(want);
  });

  it('writes a key and value beyond ASCII as UTF-8, length prefixes in bytes', () => {
    const key = Buffer.from('k→');
    const value = Buffer.from('"Zoë"');
    const compare = Buffer.concat([bytes(0x10, 2, 0x1a, key.length), key, bytes(0x30, 0)]);
    const put = ld(
      0x12,
      Buffer.concat([bytes(0x0a, key.length), key, bytes(0x12, value.length), value]),
    );
    const want = Buffer.concat([ld(0x0a, compare), ld(0x12, put)]);
    const op = { kind: 'create', key: 'k→', value: storedText('"Zoë"') } as const;
    expect(opTxn(op, false)).to.deep.equal(want);
  });

  it('refuses a value whose measured size is not its UTF-8 size', () => {
    const op = { kind: 'create', key: 'k', value: { text: 'é', bytes: 1 } } as const;
    expect(() => opTxn(op, false)).to.throw();
  });

  it('writes an update and a delete with their expected revision and the Get on failure', () => {
    const compare = Buffer.concat([bytes(0x10, 2, 0x1a, 1, 'k', 0x30), varint(300)]);
    const range = ld(0x1a, ld(0x0a, bytes(0x0a, 1, 'k')));
    const update = Buffer.concat([
      ld(0x0a, compare),
      ld(0x12, ld(0x12, bytes(0x0a, 1, 'k', 0x12, 2, 'vv'))),
      range,
    ]);
    expect(
      opTxn({ kind: 'update', key: 'k', value: storedText('vv'), expectedRv: '300' }, false),
    ).to.deep.equal(update);
    const del = Buffer.concat([
      ld(0x0a, compare),
      ld(0x12, ld(0x1a, bytes(0x0a, 1, 'k', 0x18, 1))),
      range,
    ]);
    expect(opTxn({ kind: 'delete', key: 'k', expectedRv: '300' }, false)).to.deep.equal(del);
  });

  it('nests each op of a batch as its own transaction, creates with their Get', () => {
    const ops = [
      { kind: 'create', key: 'a', value: storedText('x'.repeat(200)) },
      { kind: 'delete', key: 'b', expectedRv: '7' },
    ] as const;
    const want = Buffer.concat(ops.map(op => ld(0x12, ld(0x22, opTxn(op, true)))));
    expect(batchTxn(ops)).to.deep.equal(want);
    expect(opTxn(ops[0], true).length).to.be.greaterThan(opTxn(ops[0], false).length);
  });

  it('reads revisions, outcomes, current and deleted values, skipping what it does not need', () => {
    const header = (rev: number): Buffer =>
      Buffer.concat([
        bytes(0x08),
        varint(2n ** 63n + 5n),
        bytes(0x18),
        varint(rev),
        bytes(0x20, 3),
      ]);
    const kv = Buffer.concat([
      ld(0x0a, Buffer.from('key')),
      bytes(0x10),
      varint(5),
      bytes(0x18),
      varint(2 ** 53 + 2),
      bytes(0x20, 2),
      ld(0x2a, Buffer.from('{"a":1}')),
      bytes(0x30),
      varint(-1),
    ]);
    const failed = Buffer.concat([
      ld(0x0a, header(9)),
      bytes(0x10, 0),
      ld(0x1a, ld(0x0a, ld(0x12, kv))),
    ]);
    const deleted = Buffer.concat([
      ld(0x0a, header(9)),
      bytes(0x10, 1),
      ld(0x1a, ld(0x1a, Buffer.concat([bytes(0x10, 1), ld(0x1a, kv)]))),
      // an unknown fixed64 and fixed32 field
      bytes(0x79, 1, 2, 3, 4, 5, 6, 7, 8, 0x7d, 1, 2, 3, 4),
    ]);
    const put = Buffer.concat([bytes(0x10, 1), ld(0x1a, ld(0x12, ld(0x0a, header(9))))]);
    const res = Buffer.concat([
      ld(0x0a, header(9)),
      bytes(0x10, 1),
      ...[failed, deleted, put].map(t => ld(0x1a, ld(0x22, t))),
    ]);
    const reply = decodeTxnResponse(res);
    expect(reply.revision).to.equal('9');
    const outcomes = batchOutcomes(
      [
        { kind: 'update', key: 'key', value: storedText('x'), expectedRv: '1' },
        { kind: 'delete', key: 'key', expectedRv: '4' },
        { kind: 'create', key: 'n', value: storedText('x') },
      ],
      reply,
    );
    const want = {
      key: Buffer.from('key'),
      value: Buffer.from('{"a":1}'),
      create_revision: '5',
      mod_revision: String(2n ** 53n + 2n),
      version: '2',
      lease: '-1',
    };
    expect(outcomes).to.deep.equal([
      { succeeded: false, revision: '9', current: want },
      { succeeded: true, revision: '9', deleted: want },
      { succeeded: true, revision: '9' },
    ]);
  });

  it('refuses truncated answers', () => {
    expect(() => decodeTxnResponse(bytes(0x1a, 5, 0x22))).to.throw('truncated');
    expect(() => decodeTxnResponse(bytes(0x18, 0x80))).to.throw('truncated');
  });

  it('sizes varints as it writes them', () => {
    for (const n of [0, 127, 128, 16383, 16384, 2 ** 31, 2 ** 53 - 1])
      expect(varintSize(n)).to.equal(varint(n).length);
  });
});
