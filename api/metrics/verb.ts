// kube-apiserver's verb label of apiserver_request_total and apiserver_request_duration_seconds:
// the HTTP method as its installer names the route (POST for a create, PUT for an update, not
// CREATE/UPDATE), GET split into GET (an item) and LIST (a collection), WATCH for a watch, APPLY
// for a server-side apply PATCH, DELETECOLLECTION for a DELETE of a collection. Dashboards and
// SLO rules written for kube (`verb=~"POST|PUT|PATCH|DELETE"`) then read Corral's the same way.
import { assertNever } from '../../core/util/assert-never.ts';

/** RequestVerb is the verb label of a resource request. */
export type RequestVerb =
  | 'GET'
  | 'LIST'
  | 'WATCH'
  | 'POST'
  | 'PUT'
  | 'PATCH'
  | 'APPLY'
  | 'DELETE'
  | 'DELETECOLLECTION'
  | 'other';

/** REQUEST_VERBS lists every RequestVerb, in a fixed order (their index keys per-route tables). */
export const REQUEST_VERBS: readonly RequestVerb[] = [
  'GET',
  'LIST',
  'WATCH',
  'POST',
  'PUT',
  'PATCH',
  'APPLY',
  'DELETE',
  'DELETECOLLECTION',
  'other',
];

/** RequestKind is apiserver_current_inflight_requests' request_kind. */
export type RequestKind = 'readOnly' | 'mutating';

/** VerbInput is what the verb depends on: method, whether an item is named, query, content type. */
export interface VerbInput {
  readonly method: string;
  readonly hasName: boolean;
  /** watch is the `watch` query parameter, if given. */
  readonly watch: string | undefined;
  readonly contentType: string | undefined;
}

const APPLY_TYPE = 'application/apply-patch+yaml';

/**
 * requestVerb maps a resource request to its verb label. A method the API does not serve is
 * `other` (kube's OtherRequestMethod), so a client cannot mint label values. A GET of a
 * collection is a WATCH when `watch` is `true` or `1`, the values dispatch serves as a watch.
 */
export function requestVerb(v: VerbInput): RequestVerb {
  switch (v.method) {
    case 'GET':
    case 'HEAD':
      if (v.hasName) return 'GET';
      return isWatchValue(v.watch) ? 'WATCH' : 'LIST';
    case 'POST':
      return 'POST';
    case 'PUT':
      return 'PUT';
    case 'PATCH':
      return isApply(v.contentType) ? 'APPLY' : 'PATCH';
    case 'DELETE':
      return v.hasName ? 'DELETE' : 'DELETECOLLECTION';
    default:
      return 'other';
  }
}

/** requestKind says whether a verb reads or writes (kube's readOnly and mutating limits). */
export function requestKind(verb: RequestVerb): RequestKind {
  switch (verb) {
    case 'GET':
    case 'LIST':
    case 'WATCH':
      return 'readOnly';
    case 'POST':
    case 'PUT':
    case 'PATCH':
    case 'APPLY':
    case 'DELETE':
    case 'DELETECOLLECTION':
    case 'other':
      return 'mutating';
    default:
      return assertNever(verb);
  }
}

function isWatchValue(v: string | undefined): boolean {
  return v === 'true' || v === '1';
}

// a media type may carry parameters (`; charset=utf-8`)
function isApply(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semi = contentType.indexOf(';');
  const type = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return type === APPLY_TYPE;
}
