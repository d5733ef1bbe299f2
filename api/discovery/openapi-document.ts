// `/openapi/v3` and `/openapi/v3/<api|apis/g>/<v>`: one OpenAPI 3.0 document per served
// group/version, and an index pointing at each with a hash of its content, which kubectl uses as
// an HTTP cache key — so the hash must change whenever the document does.
import { createHash } from 'node:crypto';
import type { ResourceInfo } from '../registry/resource-info.ts';
import { metaSchemas } from './openapi-meta-schemas.ts';
import { kindSchemas } from './openapi-kind-schemas.ts';
import { resourcePaths } from './openapi-paths.ts';
import type { OpenApiDocument, OpenApiIndex, PathItem, SchemaObject } from './openapi-types.ts';
import { resourcesOf, servedGroups } from './served.ts';

/**
 * openApiGroupVersion builds the OpenAPI 3.0 document of one group/version (`''`/`v1` for the
 * core group), or undefined (→ 404) when nothing is served there.
 */
export function openApiGroupVersion(
  resources: readonly ResourceInfo[],
  group: string,
  version: string,
): OpenApiDocument | undefined {
  const served = resourcesOf(resources, group, version);
  if (served.length === 0) return undefined;
  const paths: Record<string, PathItem> = {};
  const kinds: Record<string, SchemaObject> = {};
  for (const r of served) {
    Object.assign(paths, resourcePaths(r));
    Object.assign(kinds, kindSchemas(r));
  }
  const schemas = { ...metaSchemas(served.some(r => r.scale !== undefined)), ...kinds };
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths: sortedKeys(paths),
    components: { schemas: sortedKeys(schemas) },
  };
}

function sortedKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** SerializedDocument is a group/version document as sent, with its content hash. */
export interface SerializedDocument {
  readonly json: string;
  /** hash is the uppercase hex sha512 of `json`, as kube-apiserver computes it. */
  readonly hash: string;
}

// Serialized documents per resources array: the registry replaces the array when anything
// served changes, so identity is the cache key and old entries go with their arrays.
const cache = new WeakMap<readonly ResourceInfo[], Map<string, SerializedDocument | undefined>>();

/**
 * serializedGroupVersion returns the JSON text and hash of one group/version document,
 * computed once per resources array (kubectl fetches these often), or undefined when that
 * group/version is not served. Callers must not mutate a resources array after using it here.
 */
export function serializedGroupVersion(
  resources: readonly ResourceInfo[],
  group: string,
  version: string,
): SerializedDocument | undefined {
  let docs = cache.get(resources);
  if (docs === undefined) {
    docs = new Map();
    cache.set(resources, docs);
  }
  const key = `${group}/${version}`;
  if (docs.has(key)) return docs.get(key);
  const doc = openApiGroupVersion(resources, group, version);
  const serialized =
    doc === undefined
      ? undefined
      : (() => {
          const json = JSON.stringify(doc);
          return { json, hash: createHash('sha512').update(json).digest('hex').toUpperCase() };
        })();
  docs.set(key, serialized);
  return serialized;
}

/** openApiIndexKey is the index key (and URL tail) of a group/version: `api/v1`, `apis/<g>/<v>`. */
export function openApiIndexKey(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/**
 * openApiIndex is the `/openapi/v3` document: every served group/version with the URL of its
 * document, whose `hash` query parameter changes whenever that document's content does.
 */
export function openApiIndex(resources: readonly ResourceInfo[]): OpenApiIndex {
  const paths: OpenApiIndex['paths'] = {};
  for (const g of servedGroups(resources)) {
    for (const v of g.versions) {
      const doc = serializedGroupVersion(resources, g.name, v);
      if (doc === undefined) continue;
      const key = openApiIndexKey(g.name, v);
      paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${doc.hash}` };
    }
  }
  return { paths: sortedKeys(paths) };
}
