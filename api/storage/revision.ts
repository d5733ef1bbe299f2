// Revisions are etcd int64s carried as decimal strings; arithmetic and comparison go through
// BigInt so nothing breaks past 2^53.

/**
 * parseRevision reads a decimal revision string; a malformed one is a caller bug (handlers
 * validate resourceVersion first), so it throws RangeError rather than a StorageError.
 */
export function parseRevision(rv: string, what: string): bigint {
  if (!/^\d{1,19}$/.test(rv)) throw new RangeError(`${what}: "${rv}" is not a revision`);
  return BigInt(rv);
}

/** parsePositiveRevision is parseRevision for preconditions, where 0 would mean "absent". */
export function parsePositiveRevision(rv: string, what: string): bigint {
  const r = parseRevision(rv, what);
  if (r <= 0n) throw new RangeError(`${what}: a precondition needs a revision above 0`);
  return r;
}
