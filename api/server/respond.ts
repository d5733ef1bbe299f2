import type { Response } from 'express';
import type { Status } from '../../core/errors/index.ts';
import { ApiError, internalError, isApiError } from '../../core/errors/index.ts';

/** sendJson writes a JSON body with kube's content type. */
export function sendJson(
  res: Response,
  code: number,
  body: unknown,
  contentType = 'application/json',
): void {
  const text = JSON.stringify(body);
  res.status(code).set('Content-Type', contentType).send(text);
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
