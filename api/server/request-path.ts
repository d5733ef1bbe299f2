/** ResourcePath is a parsed `/api/v1/...` or `/apis/<g>/<v>/...` resource URL. */
export interface ResourcePath {
  readonly group: string;
  readonly version: string;
  readonly namespace: string | undefined;
  readonly plural: string;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
}

/** GroupVersionPath is a discovery URL: `/api/v1` or `/apis/<g>/<v>` (or just `/apis/<g>`). */
export interface GroupVersionPath {
  readonly group: string;
  readonly version: string | undefined;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/**
 * parseApiPath splits an API URL the way kube's RequestInfo resolver does: after the group and
 * version, `namespaces/<ns>/<plural>/...` is namespaced; `namespaces/<name>[/status]` is the
 * Namespace object itself; anything else is `<plural>[/<name>[/<subresource>]]`.
 */
export function parseApiPath(path: string): ResourcePath | GroupVersionPath | undefined {
  const parts: string[] = [];
  for (const p of path.split('/')) {
    // most segments escape nothing: decode only those that do (a bad escape throws URIError)
    if (p !== '') parts.push(p.includes('%') ? decodeURIComponent(p) : p);
  }
  let group: string;
  let version: string | undefined;
  let rest: string[];
  if (parts[0] === 'api') {
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    group = parts[1] ?? '';
    version = parts[2];
    rest = parts.slice(3);
    if (group === '') return undefined;
  } else {
    return undefined;
  }
  if (version === undefined || rest.length === 0) return { group, version };
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2] ?? '')) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length > 3) return undefined;
  const [plural = '', name, subresource] = rest;
  return { group, version, namespace, plural, name, subresource };
}

/** isResourcePath narrows a parse result to a resource URL. */
export function isResourcePath(p: ResourcePath | GroupVersionPath): p is ResourcePath {
  return 'plural' in p;
}
