import { ApiError, badRequest, notFound } from '../../core/errors/index.ts';
import type { ResourcePath } from '../server/request-path.ts';
import type { Admission } from './admission.ts';
import type { ResourceRequest, ServerDeps } from './context.ts';
import { create } from './create.ts';
import { remove, removeCollection } from './delete.ts';
import { get } from './get.ts';
import { list } from './list.ts';
import { patch } from './patch.ts';
import { getScale, updateScale } from './scale.ts';
import { update } from './update.ts';
import { watch } from './watch.ts';
import type { Request, Response } from 'express';

const NOT_ALLOWED = (): ApiError =>
  new ApiError(
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
  );

/** resolveRequest turns a parsed path into a ResourceRequest, or throws 404 for unknown resources. */
export function resolveRequest(
  deps: ServerDeps,
  path: ResourcePath,
  http: { req: Request; res: Response },
): ResourceRequest {
  const info = deps.registry.lookup(path.group, path.version, path.plural);
  if (info === undefined) {
    throw new ApiError('NotFound', 'the server could not find the requested resource', {
      group: path.group,
      kind: path.plural,
    });
  }
  if (path.namespace !== undefined && !info.namespaced)
    throw new ApiError('NotFound', 'the server could not find the requested resource');
  const sub = path.subresource;
  if (
    sub !== undefined &&
    !((sub === 'status' && info.statusSubresource) || (sub === 'scale' && info.scale))
  ) {
    throw new ApiError('NotFound', 'the server could not find the requested resource');
  }
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(http.req.query)) if (typeof v === 'string') query[k] = v;
  return {
    deps,
    info,
    namespace: path.namespace,
    name: path.name,
    subresource: sub,
    query,
    req: http.req,
    res: http.res,
  };
}

/** dispatch runs the verb handler for a resource request. */
export async function dispatch(r: ResourceRequest, admission: Admission): Promise<void> {
  r.deps.requests?.begin(r);
  const method = r.req.method.toUpperCase();
  const item = r.name !== undefined;
  if (r.name === '') throw badRequest('resource name may not be empty');
  if (r.subresource === 'scale') {
    if (method === 'GET') return getScale(r);
    if (method === 'PUT' || method === 'PATCH') return updateScale(r, admission);
    throw NOT_ALLOWED();
  }
  switch (method) {
    case 'GET':
      if (item) return get(r);
      return r.query['watch'] === 'true' || r.query['watch'] === '1' ? watch(r) : list(r);
    case 'POST':
      if (r.subresource !== undefined) throw NOT_ALLOWED();
      return create(r, admission);
    case 'PUT':
      if (!item) throw NOT_ALLOWED();
      return update(r, admission);
    case 'PATCH':
      if (!item) throw NOT_ALLOWED();
      return patch(r, admission);
    case 'DELETE':
      if (r.subresource !== undefined) throw NOT_ALLOWED();
      return item ? remove(r) : removeCollection(r);
    default:
      throw notFound({ group: r.info.group, plural: r.info.plural, name: r.name ?? '' });
  }
}
