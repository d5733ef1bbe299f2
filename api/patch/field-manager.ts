import { invalid } from '../../core/errors/index.ts';
import type { ApiError, StatusCause } from '../../core/errors/index.ts';

/** FIELD_MANAGER_MAX_LENGTH is kube's limit on `fieldManager`, in UTF-8 bytes. */
export const FIELD_MANAGER_MAX_LENGTH = 128;

/** WriteOptionsKind names the meta.k8s.io options object a 422 about the query is reported on. */
export type WriteOptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions';

// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8');

/**
 * defaultManager is kube's fieldManager for a non-apply write that names none: the User-Agent up
 * to its first `/` (`kubectl/v1.32.5 (linux/amd64)` ⇒ `kubectl`, client-node ⇒ `node-fetch`),
 * without unprintable characters and cut to 128 bytes.
 */
export function defaultManager(userAgent: string | undefined): string {
  const prefix = (userAgent ?? '').split('/')[0] ?? '';
  let out = '';
  for (const ch of prefix) {
    if (!PRINTABLE.test(ch)) continue;
    if (utf8Length(out) + utf8Length(ch) > FIELD_MANAGER_MAX_LENGTH) break;
    out += ch;
  }
  return out;
}

/** WriteOptions is the part of a write's query string that concerns field management. */
export interface WriteOptions {
  readonly kind: WriteOptionsKind;
  /** The `fieldManager` query parameter as sent (undefined or '' when absent). */
  readonly fieldManager: string | undefined;
  /** The parsed `force` query parameter, undefined when absent. */
  readonly force?: boolean | undefined;
  /** True for `application/apply-patch+yaml`. */
  readonly apply?: boolean;
}

/**
 * validateWriteOptions throws kube's 422 on `<kind>.meta.k8s.io` when the options break
 * `ValidatePatchOptions`/`ValidateFieldManager`: apply needs a fieldManager, only apply may say
 * `force`, and a fieldManager is at most 128 bytes of printable characters.
 */
export function validateWriteOptions(opts: WriteOptions): void {
  const causes = writeOptionsCauses(opts);
  if (causes.length > 0) throw optionsInvalid(opts.kind, causes);
}

function writeOptionsCauses(opts: WriteOptions): StatusCause[] {
  const causes: StatusCause[] = [];
  const manager = opts.fieldManager ?? '';
  if (opts.kind === 'PatchOptions' && opts.apply !== true && opts.force !== undefined) {
    causes.push({
      reason: 'FieldValueForbidden',
      field: 'force',
      message: 'Forbidden: may not be specified for non-apply patch',
    });
  }
  if (opts.kind === 'PatchOptions' && opts.apply === true && manager === '') {
    causes.push({
      reason: 'FieldValueRequired',
      field: 'fieldManager',
      message: 'Required value: is required for apply patch',
    });
  }
  if (utf8Length(manager) > FIELD_MANAGER_MAX_LENGTH) {
    causes.push({
      reason: 'FieldValueTooLong',
      field: 'fieldManager',
      message: `Too long: may not be more than ${FIELD_MANAGER_MAX_LENGTH} bytes`,
    });
  }
  let at = 0;
  for (const ch of manager) {
    if (!PRINTABLE.test(ch)) {
      const code = (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
      causes.push({
        reason: 'FieldValueInvalid',
        field: 'fieldManager',
        message: `Invalid value: ${JSON.stringify(manager)}: invalid character U+${code} (at position ${at})`,
      });
    }
    at += utf8Length(ch);
  }
  return causes;
}

const optionsInvalid = (kind: WriteOptionsKind, causes: readonly StatusCause[]): ApiError =>
  invalid({ kind, group: 'meta.k8s.io', name: '' }, causes);
