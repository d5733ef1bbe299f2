// The one error type of the fetcher: a failed fetch fails the task before it starts (Mesos
// TASK_FAILED), and the code says which rule refused it.

/** FETCH_ERROR_CODES lists why a fetch can fail. */
export const FETCH_ERROR_CODES = [
  /** The URI's scheme is not file, http or https. */
  'UNSUPPORTED_SCHEME',
  /** The URI cannot be parsed or names no file. */
  'INVALID_URI',
  /** The output file name leaves the sandbox or is empty. */
  'INVALID_OUTPUT_FILE',
  /** The local file or remote resource does not exist or could not be read. */
  'SOURCE_FAILED',
  /** The server answered with a non-2xx status. */
  'HTTP_STATUS',
  /** The download made no progress for the stall timeout. */
  'STALLED',
  /** An archive entry would land outside the sandbox or write through a symlink. */
  'UNSAFE_ARCHIVE',
  /** The archive format, or an entry type in it, is not supported. */
  'UNSUPPORTED_ARCHIVE',
  /** The archive is corrupt. */
  'CORRUPT_ARCHIVE',
] as const;

/** FetchErrorCode names one fetch failure. */
export type FetchErrorCode = (typeof FETCH_ERROR_CODES)[number];

/** FetchError is a fetch that failed; `uri` is the task URI it was fetching. */
export class FetchError extends Error {
  readonly code: FetchErrorCode;
  readonly uri: string;

  constructor(code: FetchErrorCode, uri: string, message: string) {
    super(`failed to fetch '${uri}': ${message}`);
    this.name = 'FetchError';
    this.code = code;
    this.uri = uri;
  }
}
