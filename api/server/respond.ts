import type { Response } from 'express';
import type { Status } from '../../core/errors/index.ts';
import { ApiError, internalError, isApiError } from '../../core/errors/index.ts';

// What express's res.set + res.send make of `application/json` (mime-types adds the charset).
const JSON_UTF8 = 'application/json; charset=utf-8';

// needsExpressSend is true where res.send does more than write: bodiless codes, and
// conditional requests it may answer 304.
function needsExpressSend(res: Response, code: number): boolean {
  const h = res.req.headers;
  return (
    code === 204 ||
    code === 205 ||
    code === 304 ||
    h['if-none-match'] !== undefined ||
    h['if-modified-since'] !== undefined
  );
}

/**
 * sendJson writes a JSON body with kube's content type. Plain `application/json` (every object,
 * list, table and Status) is written directly: the same headers express's res.send would set,
 * without its per-call Content-Type parse-and-format, and as one `end` so the head and the body
 * leave in one write. Other types (discovery's parameterised ones) keep express's rendering.
 */
export function sendJson(
  res: Response,
  code: number,
  body: unknown,
  contentType = 'application/json',
): void {
  sendJsonText(res, code, JSON.stringify(body), contentType);
}

/** sendJsonText is sendJson of a body already rendered as JSON text. */
export function sendJsonText(
  res: Response,
  code: number,
  text: string,
  contentType = 'application/json',
): void {
  if (contentType !== 'application/json' || needsExpressSend(res, code)) {
    res.status(code).set('Content-Type', contentType).send(text);
    return;
  }
  res.statusCode = code;
  res.setHeader('Content-Type', JSON_UTF8);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  if (res.req.method === 'HEAD') res.end();
  else res.end(text);
}

/** toApiError maps anything thrown on the request path to an ApiError (unknown → 500). */
export function toApiError(err: unknown): ApiError {
  if (isApiError(err)) return err;
  const e = err as { type?: string; status?: number; message?: string };
  if (e.type === 'entity.too.large' || e.status === 413) {
    return new ApiError(
      'RequestEntityTooLarge',
      'the request body is too large: the limit is 3 MiB',
    );
  }
  if (e.type === 'entity.parse.failed')
    return new ApiError('BadRequest', e.message ?? 'malformed body');
  return internalError(e.message ?? String(err));
}

/** sendError renders an error as a Status response (retry-after header when the Status has one). */
export function sendError(res: Response, err: unknown): void {
  const apiErr = toApiError(err);
  const status: Status = apiErr.toStatus();
  const retry = status.details?.retryAfterSeconds;
  if (retry !== undefined) res.set('Retry-After', String(retry));
  sendJson(res, status.code, status);
}

/** successStatus is the body kube returns for an immediate delete. */
export function successStatus(details: {
  name: string;
  group: string;
  kind: string;
  uid?: string;
}): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details, code: 200 };
}

/** setWarnings adds kube `Warning: 299 - "..."` headers. */
export function setWarnings(res: Response, warnings: readonly string[]): void {
  if (warnings.length === 0) return;
  res.set(
    'Warning',
    warnings.map(w => `299 - "${w.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`),
  );
}
