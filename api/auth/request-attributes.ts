/**
 * ResourceRequestInfo describes a request on an API resource. Absent parts are `''`, as in kube:
 * `namespace: ''` is cluster scope, `name: ''` a collection, `apiGroup: ''` the core group.
 */
export interface ResourceRequestInfo {
  readonly isResourceRequest: true;
  readonly verb: string;
  readonly apiGroup: string;
  readonly apiVersion: string;
  readonly resource: string;
  readonly subresource: string;
  readonly namespace: string;
  readonly name: string;
}

/** NonResourceRequestInfo describes a request on any other path; the verb is the HTTP method, lowercased. */
export interface NonResourceRequestInfo {
  readonly isResourceRequest: false;
  readonly verb: string;
  readonly nonResourcePath: string;
}

/** RequestInfo is what authorization learns from a request's method, path and query. */
export type RequestInfo = ResourceRequestInfo | NonResourceRequestInfo;

/** QueryValues is a parsed query string (express `req.query`); arrays use their first value. */
export type QueryValues = Readonly<Record<string, unknown>>;

// Verbs that can prefix the resource part of a path (the deprecated `/watch/` form); `proxy`
// takes no subresource.
const SPECIAL_VERBS = new Set(['proxy', 'watch']);
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
const METHOD_VERBS: Readonly<Record<string, string>> = {
  GET: 'get',
  HEAD: 'get',
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/**
 * requestAttributesFrom parses a request the way kube's RequestInfoFactory does. Resource paths
 * are `/api/v1/...` and `/apis/<group>/<version>/...` followed by
 * `[namespaces/<ns>/]<resource>[/<name>[/<subresource>]]`; `namespaces/<name>[/status|/finalize]`
 * is the Namespace itself (its namespace attribute is its own name, as in kube). Verbs: GET/HEAD
 * of an item is get, of a collection list, or watch when `watch` is `true` or `1`; POST create;
 * PUT update; PATCH patch; DELETE of an item delete, of a collection deletecollection. A list or
 * watch with `fieldSelector=metadata.name=<n>` carries name `<n>` so per-name rules can apply.
 * Every other path (`/apis`, `/apis/<g>/<v>`, `/openapi/v3`, `/healthz`) is a non-resource
 * request. `path` is the URL path without the query; segments are percent-decoded.
 */
export function requestAttributesFrom(
  method: string,
  path: string,
  query: QueryValues,
): RequestInfo {
  const nonResource: NonResourceRequestInfo = {
    isResourceRequest: false,
    verb: method.toLowerCase(),
    nonResourcePath: path,
  };
  let parts = splitPath(path);
  const prefix = parts[0];
  // `/api/v1/x` and `/apis/g/v/x` are the shortest resource paths.
  const minimum = prefix === 'api' ? 3 : prefix === 'apis' ? 4 : Infinity;
  if (parts.length < minimum) return nonResource;
  const apiGroup = prefix === 'apis' ? (parts[1] ?? '') : '';
  const apiVersion = parts[minimum - 2] ?? '';
  parts = parts.slice(minimum - 1);

  let verb = METHOD_VERBS[method.toUpperCase()] ?? '';
  const special = parts[0] ?? '';
  if (SPECIAL_VERBS.has(special) && parts.length >= 2) {
    verb = special;
    parts = parts.slice(1);
  }

  let namespace = '';
  if (parts[0] === 'namespaces' && parts.length > 1) {
    namespace = parts[1] ?? '';
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2] ?? '')) parts = parts.slice(2);
  }
  const [resource = '', itemName = '', sub = ''] = parts;
  const subresource = verb === 'proxy' ? '' : sub;
  let name = itemName;

  if (name === '' && verb === 'get') {
    verb = isWatch(query) ? 'watch' : 'list';
    name = nameFromFieldSelector(first(query.fieldSelector));
  }
  if (name === '' && verb === 'delete') verb = 'deletecollection';
  return {
    isResourceRequest: true,
    verb,
    apiGroup,
    apiVersion,
    resource,
    subresource,
    namespace,
    name,
  };
}

/** isWatch says whether a query asks for a watch (`watch=true` or `watch=1`, any case). */
export function isWatch(query: QueryValues): boolean {
  const v = first(query.watch)?.toLowerCase();
  return v === 'true' || v === '1';
}

function first(v: unknown): string | undefined {
  const x: unknown = Array.isArray(v) ? (v as unknown[])[0] : v;
  return typeof x === 'string' ? x : undefined;
}

function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? [] : trimmed.split('/').map(safeDecode);
}

function safeDecode(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// kube takes the name from a selector that requires `metadata.name` to equal one value, and only
// when that value could be a path segment.
function nameFromFieldSelector(selector: string | undefined): string {
  if (selector === undefined) return '';
  for (const term of selector.split(',')) {
    const m = /^\s*metadata\.name\s*==?\s*(.*?)\s*$/.exec(term);
    const value = m?.[1];
    if (
      value !== undefined &&
      value !== '' &&
      value !== '.' &&
      value !== '..' &&
      !/[/%]/.test(value)
    ) {
      return value;
    }
  }
  return '';
}
