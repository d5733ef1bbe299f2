// The etcd3 client with one more call: Txn with the request and answer in protobuf bytes the
// store writes and reads itself (etcd-txn.ts, txn-codec.ts). etcd3 sends a Txn through
// proto-loader, which builds message objects from the plain request and decodes the answer into
// objects with every int64 as a string; for a batch of a hundred writes that was a good part of
// the API server's work per write. Everything else (the connection pool, its per-host circuit
// breaker, deadlines, error types) is etcd3's own.
import { Etcd3, castGrpcError, isRecoverableError } from 'etcd3';
import type { CallContext, CallOptionsFactory } from 'etcd3';

const TXN = '/etcdserverpb.KV/Txn';
const asIs = (bytes: Buffer): Buffer => bytes;
// the request is encoded when gRPC serializes it, each attempt anew (see txnBytes)
const encoded = (encode: () => Buffer): Buffer => encode();
// etcd3 retries a call that failed in a way worth retrying, up to three attempts in all
const ATTEMPTS = 3;

// callOptions asks the client's factory for a Txn's options (the store's sets a deadline); the
// request it is shown is empty, as the real one is bytes.
function callOptions(factory: CallOptionsFactory | undefined): object {
  if (typeof factory !== 'function') return factory ?? {};
  const context: CallContext = { service: 'KV', method: 'txn', params: {}, isStream: false };
  return factory(context);
}

/** EtcdClient is Etcd3 plus txnBytes. */
export class EtcdClient extends Etcd3 {
  /**
   * txnBytes sends the etcdserverpb.TxnRequest `encode` writes and resolves with the encoded
   * TxnResponse, with etcd3's call options (deadline), host choice, circuit breaker, retries of
   * recoverable failures and error types. The request is encoded only when gRPC sends it, which
   * copies it at once into its own framed message: the encoded bytes do not live on through the
   * call (see StoredText in etcd-txn.ts for why that matters).
   */
  async txnBytes(encode: () => Buffer): Promise<Buffer> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.pool.withConnection(
          'KV',
          ({ client, metadata }) =>
            new Promise<Buffer>((resolve, reject) => {
              const options = callOptions(this.pool.callOptionsFactory);
              client.makeUnaryRequest(TXN, encoded, asIs, encode, metadata, options, (err, res) => {
                if (err) reject(castGrpcError(err));
                else if (res === undefined) reject(new Error('etcd answered a Txn with nothing'));
                else resolve(res);
              });
            }),
        );
      } catch (e) {
        if (attempt >= ATTEMPTS || !(e instanceof Error) || !isRecoverableError(e)) throw e;
      }
    }
  }
}
