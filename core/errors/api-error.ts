import type { Status, StatusCause, StatusDetails, StatusReason } from './status.ts';
import { HTTP_CODE } from './status.ts';

/** ApiError is the one error type that crosses the HTTP boundary; it renders as a `Status`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly reason: StatusReason;
  readonly code: number;
  readonly details: StatusDetails | undefined;
  readonly metadata: { continue?: string };

  constructor(reason: StatusReason, message: string, details?: StatusDetails) {
    super(message);
    this.reason = reason;
    this.code = HTTP_CODE[reason];
    this.details = details;
    this.metadata = {};
  }

  /** toStatus renders the error as the `Status` body a Kubernetes client expects. */
  toStatus(): Status {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: this.metadata.continue === undefined ? {} : { continue: this.metadata.continue },
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details === undefined ? {} : { details: this.details }),
      code: this.code,
    };
  }
}

/** ResourceRef names an object in error messages: `offers.corral.dev "o1"`. */
export interface ResourceRef {
  readonly group: string;
  readonly plural: string;
  readonly name?: string;
}

const qualified = (r: ResourceRef): string =>
  r.group === '' ? r.plural : `${r.plural}.${r.group}`;

/** notFound is kube's `<plural>.<group> "<name>" not found`. */
export function notFound(r: ResourceRef): ApiError {
  return new ApiError('NotFound', `${qualified(r)} "${r.name ?? ''}" not found`, {
    name: r.name ?? '',
    group: r.group,
    kind: r.plural,
  });
}

/** alreadyExists is kube's `<plural>.<group> "<name>" already exists`. */
export function alreadyExists(r: ResourceRef): ApiError {
  return new ApiError('AlreadyExists', `${qualified(r)} "${r.name ?? ''}" already exists`, {
    name: r.name ?? '',
    group: r.group,
    kind: r.plural,
  });
}

/** conflict is kube's optimistic-concurrency failure message. */
export function conflict(r: ResourceRef, why?: string): ApiError {
  const tail =
    why ??
    'the object has been modified; please apply your changes to the latest version and try again';
  return new ApiError(
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(r)} "${r.name ?? ''}": ${tail}`,
    { name: r.name ?? '', group: r.group, kind: r.plural },
  );
}

/** invalid is a 422 whose message lists every cause, as kube's `NewInvalid` does. */
export function invalid(
  target: { readonly kind: string; readonly group: string; readonly name: string },
  causes: readonly StatusCause[],
): ApiError {
  const what = target.group === '' ? target.kind : `${target.kind}.${target.group}`;
  const list = causes.map(c => (c.field === undefined ? c.message : `${c.field}: ${c.message}`));
  const joined = list.length === 1 ? (list[0] ?? '') : `[${list.join(', ')}]`;
  return new ApiError('Invalid', `${what} "${target.name}" is invalid: ${joined}`, {
    name: target.name,
    group: target.group,
    kind: target.kind,
    causes,
  });
}

/** badRequest is a 400 with free text. */
export function badRequest(message: string): ApiError {
  return new ApiError('BadRequest', message);
}

/** expired is a 410 for a resourceVersion or continue token older than retained history. */
export function expired(message: string): ApiError {
  return new ApiError('Expired', message);
}

/** internalError wraps an unexpected failure; the message says what was being done. */
export function internalError(message: string): ApiError {
  return new ApiError('InternalError', `Internal error occurred: ${message}`);
}

/** isApiError narrows unknown errors. */
export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
