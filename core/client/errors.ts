// Every failure of an API call becomes one ClientError, built here and nowhere else, so callers
// branch on a literal reason (or a predicate) instead of digging through HTTP responses.
import type { Status, StatusReason } from '../errors/index.ts';
import { HTTP_CODE } from '../errors/index.ts';

/**
 * ClientErrorReason is the reason of a failed call: a Kubernetes `Status` reason, `Transport`
 * when no HTTP answer came back (refused, reset, TLS), or `Unknown` for an unrecognised answer.
 */
export type ClientErrorReason = StatusReason | 'Transport' | 'Unknown';

/** ClientErrorInit is what a ClientError is built from. */
export interface ClientErrorInit {
  readonly reason: ClientErrorReason;
  /** code is the HTTP status; 0 for transport failures. */
  readonly code: number;
  readonly message: string;
  /** status is the server's `Status` body when it sent one. */
  readonly status?: Status;
  readonly cause?: unknown;
}

/** ClientError is the one error type `core/client` throws for a failed API call. */
export class ClientError extends Error {
  override readonly name = 'ClientError';
  readonly reason: ClientErrorReason;
  readonly code: number;
  readonly status: Status | undefined;

  constructor(init: ClientErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.reason = init.reason;
    this.code = init.code;
    this.status = init.status;
  }
}

const REASON_BY_CODE = new Map<number, StatusReason>();
for (const [reason, code] of Object.entries(HTTP_CODE) as [StatusReason, number][]) {
  // 409 and 410 have two reasons each; the first listed (AlreadyExists, Gone) is only a guess
  // used when the body carries none, so Conflict and Gone are the safer defaults.
  if (!REASON_BY_CODE.has(code)) REASON_BY_CODE.set(code, reason);
}
REASON_BY_CODE.set(409, 'Conflict');
REASON_BY_CODE.set(410, 'Gone');

/** isStatus tells a `Status` object from anything else. */
export function isStatus(x: unknown): x is Status {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'Status';
}

/** statusError turns a `Status` object (a response body or a watch ERROR event) into a ClientError. */
export function statusError(status: Status, httpCode?: number): ClientError {
  const code = typeof status.code === 'number' && status.code > 0 ? status.code : (httpCode ?? 0);
  const reason = status.reason ?? REASON_BY_CODE.get(code) ?? 'Unknown';
  return new ClientError({ reason, code, message: status.message ?? `HTTP ${code}`, status });
}

/** responseError maps a non-2xx answer, whose body may or may not be a `Status`. */
export function responseError(httpCode: number, body: string): ClientError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (isStatus(parsed)) return statusError(parsed, httpCode);
  const reason = REASON_BY_CODE.get(httpCode) ?? 'Unknown';
  const text = body.trim().slice(0, 200);
  return new ClientError({ reason, code: httpCode, message: text || `HTTP ${httpCode}` });
}

/** transportError wraps a failure that produced no HTTP answer. */
export function transportError(cause: unknown): ClientError {
  const inner = (cause as { cause?: { code?: unknown; message?: unknown } }).cause;
  const detail = typeof inner?.message === 'string' ? `: ${inner.message}` : '';
  const message = `${cause instanceof Error ? cause.message : String(cause)}${detail}`;
  return new ClientError({ reason: 'Transport', code: 0, message, cause });
}

const hasReason =
  (...reasons: readonly ClientErrorReason[]) =>
  (e: unknown): e is ClientError =>
    e instanceof ClientError && reasons.includes(e.reason);

/** isNotFound is true for a 404 NotFound. */
export const isNotFound = hasReason('NotFound');
/** isConflict is true for a 409 Conflict (a stale resourceVersion), not for AlreadyExists. */
export const isConflict = hasReason('Conflict');
/** isAlreadyExists is true for a 409 AlreadyExists on create. */
export const isAlreadyExists = hasReason('AlreadyExists');
/** isGone is true for a 410 (Gone or Expired): a resourceVersion or continue token too old. */
export const isGone = hasReason('Gone', 'Expired');
/** isTransport is true when the server could not be reached at all. */
export const isTransport = hasReason('Transport');

/** ignoreNotFound rethrows anything but NotFound: `catch (e) { ignoreNotFound(e) }`. */
export function ignoreNotFound(e: unknown): void {
  if (!isNotFound(e)) throw e;
}
