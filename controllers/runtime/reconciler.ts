// The Reconciler contract (STYLE.md rule 1, controller-runtime's reconcile package).

/** Request names the object to reconcile. It never carries the object or the event. */
export interface Request {
  /** namespace is '' for cluster-scoped kinds. */
  readonly namespace: string;
  readonly name: string;
}

/** Result tells the controller when to look again if nothing changes meanwhile. */
export interface Result {
  readonly requeueAfterMs?: number;
}

/** done is the Result of a pass that needs no follow-up. */
export const done: Result = Object.freeze({});

/**
 * Reconciler drives the world toward the spec of one object. It is level-based: it reads the
 * current state itself, so running it twice in a row does nothing the second time. Throwing
 * requeues with backoff; a TerminalError does not. It must stop promptly when `signal` aborts.
 */
export interface Reconciler {
  reconcile(req: Request, signal: AbortSignal): Promise<Result>;
}

/** TerminalError is logged and counted but never retried: retrying could not help. */
export class TerminalError extends Error {
  override readonly name = 'TerminalError';
}

/** isTerminalError is true for a TerminalError, also when it is the cause of another error. */
export function isTerminalError(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur instanceof Error && depth < 8; depth++) {
    if (cur instanceof TerminalError) return true;
    cur = cur.cause;
  }
  return false;
}

/** requestKey is the queue key of a request: `namespace/name`, or `name` without a namespace. */
export function requestKey(req: Request): string {
  return req.namespace === '' ? req.name : `${req.namespace}/${req.name}`;
}

/** requestOfKey parses a queue key back into a Request (names contain no `/`). */
export function requestOfKey(key: string): Request {
  const i = key.indexOf('/');
  return i < 0
    ? { namespace: '', name: key }
    : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** requestFor names an object, the default mapping of a watch event to a request. */
export function requestFor(obj: {
  readonly metadata: { readonly namespace?: string; readonly name?: string };
}): Request {
  return { namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' };
}
