import { StorageError } from './types.ts';

// etcd3 surfaces both as GRPCOutOfRangeError; only the server's message tells them apart.
const COMPACTED = 'required revision has been compacted';
const FUTURE = 'required revision is a future revision';

/**
 * toStorageError maps whatever etcd3 threw into the one error api/storage throws: compaction →
 * Compacted, a future revision → TooLargeResourceVersion, anything else (connection refused,
 * unavailable, open circuit breaker, deadline, closed client) → Unavailable. The original is kept
 * as `cause`. StorageErrors pass through unchanged.
 */
export function toStorageError(e: unknown, what: string): StorageError {
  if (e instanceof StorageError) return e;
  const message = e instanceof Error ? e.message : String(e);
  let err: StorageError;
  if (message.includes(COMPACTED)) {
    err = new StorageError('Compacted', `${what}: the requested revision has been compacted`);
  } else if (message.includes(FUTURE)) {
    err = new StorageError('TooLargeResourceVersion', `${what}: the revision is in the future`);
  } else {
    err = new StorageError('Unavailable', `${what}: etcd is unavailable: ${message}`);
  }
  err.cause = e;
  return err;
}

/** etcdCall runs one etcd3 call and maps its failure with toStorageError. */
export async function etcdCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw toStorageError(e, what);
  }
}
