/** asError keeps an Error as it is and wraps anything else thrown, so it can be rethrown. */
export function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
