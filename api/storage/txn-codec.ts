// etcd's Txn request and response in protobuf wire format, for the few shapes the store sends
// (etcd-txn.ts). Written by hand because the generic path (etcd3 → proto-loader → protobufjs)
// first builds message objects from plain ones and then encodes them, and decodes every answer
// into objects with every int64 turned into a string, allocating several objects and strings
// per write where the store needs a revision and a flag. Field numbers are etcd's rpc.proto and
// kv.proto (etcdserverpb, mvccpb).
import type { IKeyValue } from 'etcd3';

// Wire types.
const VARINT = 0;
const FIXED64 = 1;
const BYTES = 2;
const FIXED32 = 5;

const tag = (field: number, wire: number): number => (field << 3) | wire;

/** varintSize is the number of bytes of n (a non-negative safe integer) as a varint. */
export function varintSize(n: number): number {
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size += 1;
  }
  return size;
}

// lengthDelimited is the size of a length-delimited field's length and payload.
const lengthDelimited = (payload: number): number => varintSize(payload) + payload;

// writeVarint writes n (a non-negative safe integer) at `at`; returns the next offset.
function writeVarint(buf: Buffer, at: number, n: number): number {
  while (n >= 128) {
    buf[at++] = (n % 128) | 128;
    n = Math.floor(n / 128);
  }
  buf[at++] = n;
  return at;
}

// writeTag writes a field's tag.
const writeTag = (buf: Buffer, at: number, field: number, wire: number): number =>
  writeVarint(buf, at, tag(field, wire));

/** writeText writes a bytes field holding a text's UTF-8 bytes, measured beforehand. */
export function writeText(
  buf: Buffer,
  at: number,
  field: number,
  value: { readonly text: string; readonly bytes: number },
): number {
  at = writeVarint(buf, writeTag(buf, at, field, BYTES), value.bytes);
  const written = buf.write(value.text, at, 'utf8');
  if (written !== value.bytes)
    throw new Error(`text measured ${value.bytes} bytes, wrote ${written}`);
  return at + written;
}

/** writeHead writes a nested message's tag and length; its fields follow. */
export const writeHead = (buf: Buffer, at: number, field: number, size: number): number =>
  writeVarint(buf, writeTag(buf, at, field, BYTES), size);

/** writeVarintField writes a varint field (tag and value). */
export const writeVarintField = (buf: Buffer, at: number, field: number, n: number): number =>
  writeVarint(buf, writeTag(buf, at, field, VARINT), n);

/** bytesFieldSize is the size of a bytes field with a one-byte tag (fields 1–15), payload given. */
export const bytesFieldSize = (payload: number): number => 1 + lengthDelimited(payload);

/** varintFieldSize is the size of a varint field with a one-byte tag. */
export const varintFieldSize = (n: number): number => 1 + varintSize(n);

/** TxnReply is the part of a TxnResponse the store reads. */
export interface TxnReply {
  /** revision is header.revision: the store's revision after the transaction. */
  readonly revision: string;
  readonly succeeded: boolean;
  readonly responses: readonly OpReply[];
}

/** OpReply is one ResponseOp: the kvs of a range, the prev_kvs of a delete, a nested txn. */
export interface OpReply {
  readonly range?: readonly IKeyValue[];
  readonly deleted?: readonly IKeyValue[];
  readonly txn?: TxnReply;
}

// Reader walks one message's bytes.
class Reader {
  readonly buf: Buffer;
  at: number;
  readonly end: number;

  constructor(buf: Buffer, at: number, end: number) {
    this.buf = buf;
    this.at = at;
    this.end = end;
  }

  // varint reads a varint as a number when it fits a double exactly, else as a bigint
  varint(): number | bigint {
    let n = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.at >= this.end) throw new Error('truncated varint');
      const b = this.buf[this.at++] as number;
      n += (b & 127) * scale;
      if (b < 128) return Number.isSafeInteger(n) ? n : this.wide(i + 1);
      scale *= 128;
    }
    throw new Error('varint longer than 10 bytes');
  }

  // wide re-reads the varint that ended here, `bytes` long, exactly
  private wide(bytes: number): bigint {
    let n = 0n;
    for (let i = bytes - 1; i >= 0; i--)
      n = (n << 7n) | BigInt((this.buf[this.at - bytes + i] as number) & 127);
    // an int64 field holds a negative number as its two's complement in 64 bits
    return BigInt.asIntN(64, n);
  }

  bytes(): Buffer {
    const len = Number(this.varint());
    if (this.at + len > this.end) throw new Error('truncated bytes field');
    const out = this.buf.subarray(this.at, this.at + len);
    this.at += len;
    return out;
  }

  sub(): Reader {
    const len = Number(this.varint());
    if (this.at + len > this.end) throw new Error('truncated message');
    const r = new Reader(this.buf, this.at, this.at + len);
    this.at += len;
    return r;
  }

  skip(wire: number): void {
    switch (wire) {
      case VARINT:
        this.varint();
        return;
      case FIXED64:
        this.at += 8;
        return;
      case BYTES:
        this.bytes();
        return;
      case FIXED32:
        this.at += 4;
        return;
      default:
        throw new Error(`unexpected protobuf wire type ${wire}`);
    }
  }
}

const text = (n: number | bigint): string => n.toString();

function readHeaderRevision(r: Reader): string {
  let revision = '0';
  while (r.at < r.end) {
    const t = Number(r.varint());
    if (t === tag(3, VARINT)) revision = text(r.varint());
    else r.skip(t & 7);
  }
  return revision;
}

function readKeyValue(r: Reader): IKeyValue {
  let key: Buffer = EMPTY;
  let value: Buffer = EMPTY;
  let create = '0';
  let mod = '0';
  let version = '0';
  let lease = '0';
  while (r.at < r.end) {
    const t = Number(r.varint());
    switch (t) {
      case tag(1, BYTES):
        key = r.bytes();
        break;
      case tag(2, VARINT):
        create = text(r.varint());
        break;
      case tag(3, VARINT):
        mod = text(r.varint());
        break;
      case tag(4, VARINT):
        version = text(r.varint());
        break;
      case tag(5, BYTES):
        value = r.bytes();
        break;
      case tag(6, VARINT):
        lease = text(r.varint());
        break;
      default:
        r.skip(t & 7);
    }
  }
  return { key, value, create_revision: create, mod_revision: mod, version, lease };
}

const EMPTY: Buffer = Buffer.alloc(0);

// readKvs reads the repeated KeyValue field `field` of a RangeResponse or DeleteRangeResponse.
function readKvs(r: Reader, field: number): IKeyValue[] {
  const kvs: IKeyValue[] = [];
  while (r.at < r.end) {
    const t = Number(r.varint());
    if (t === tag(field, BYTES)) kvs.push(readKeyValue(r.sub()));
    else r.skip(t & 7);
  }
  return kvs;
}

function readOp(r: Reader): OpReply {
  let op: OpReply = {};
  while (r.at < r.end) {
    const t = Number(r.varint());
    switch (t) {
      case tag(1, BYTES):
        op = { range: readKvs(r.sub(), 2) };
        break;
      case tag(3, BYTES):
        op = { deleted: readKvs(r.sub(), 3) };
        break;
      case tag(4, BYTES):
        op = { txn: readTxn(r.sub()) };
        break;
      default:
        // a put's answer (its header) tells the store nothing it needs
        r.skip(t & 7);
    }
  }
  return op;
}

function readTxn(r: Reader): TxnReply {
  let revision = '0';
  let succeeded = false;
  const responses: OpReply[] = [];
  while (r.at < r.end) {
    const t = Number(r.varint());
    switch (t) {
      case tag(1, BYTES):
        revision = readHeaderRevision(r.sub());
        break;
      case tag(2, VARINT):
        succeeded = r.varint() !== 0;
        break;
      case tag(3, BYTES):
        responses.push(readOp(r.sub()));
        break;
      default:
        r.skip(t & 7);
    }
  }
  return { revision, succeeded, responses };
}

/** decodeTxnResponse reads an etcdserverpb.TxnResponse; it throws on malformed bytes. */
export function decodeTxnResponse(buf: Buffer): TxnReply {
  return readTxn(new Reader(buf, 0, buf.length));
}
