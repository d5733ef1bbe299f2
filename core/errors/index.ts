export type { Status, StatusCause, StatusDetails, StatusReason, CauseType } from './status.ts';
export { HTTP_CODE } from './status.ts';
export {
  ApiError,
  alreadyExists,
  badRequest,
  conflict,
  expired,
  internalError,
  invalid,
  isApiError,
  notFound,
} from './api-error.ts';
export type { ResourceRef } from './api-error.ts';
