import { Router, type Request, type Response } from 'express';
import { ApiError } from '../../core/errors/index.ts';
import {
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  discoveryContentType,
  negotiateDiscovery,
  openApiIndex,
  serializedGroupVersion,
  versionInfo,
} from '../discovery/index.ts';
import type { ResourceRegistry } from '../registry/registry.ts';
import { sendError, sendJson } from './respond.ts';

const NOT_FOUND = (): ApiError =>
  new ApiError('NotFound', 'the server could not find the requested resource');

/**
 * discoveryRouter serves `/version`, `/api`, `/apis`, `/apis/<g>`, `/api/v1`, `/apis/<g>/<v>`
 * and the OpenAPI v3 index and documents, all derived from the registry's current resources.
 */
export function discoveryRouter(registry: ResourceRegistry): Router {
  const router = Router();
  const root = (which: 'api' | 'apis') => (req: Request, res: Response) => {
    const format = negotiateDiscovery(req.get('accept'));
    const all = registry.all();
    if (format === 'legacy') {
      sendJson(res, 200, which === 'api' ? apiVersions(all, req.get('host')) : apiGroupList(all));
      return;
    }
    sendJson(res, 200, aggregatedDiscovery(all, which, format), discoveryContentType(format));
  };
  router.get('/version', (_req, res) => sendJson(res, 200, versionInfo()));
  router.get('/api', root('api'));
  router.get('/apis', root('apis'));
  router.get('/api/:version', (req, res) => {
    const list = apiResourceList(registry.all(), '', req.params.version);
    if (list === undefined) sendError(res, NOT_FOUND());
    else sendJson(res, 200, list);
  });
  router.get('/apis/:group', (req, res) => {
    const doc = apiGroup(registry.all(), req.params.group);
    if (doc === undefined) sendError(res, NOT_FOUND());
    else sendJson(res, 200, doc);
  });
  router.get('/apis/:group/:version', (req, res) => {
    const list = apiResourceList(registry.all(), req.params.group, req.params.version);
    if (list === undefined) sendError(res, NOT_FOUND());
    else sendJson(res, 200, list);
  });
  router.get('/openapi/v3', (_req, res) => sendJson(res, 200, openApiIndex(registry.all())));
  const doc = (group: string, version: string, res: Response): void => {
    const serialized = serializedGroupVersion(registry.all(), group, version);
    if (serialized === undefined) {
      sendError(res, NOT_FOUND());
      return;
    }
    res
      .status(200)
      .set({ 'Content-Type': 'application/json', ETag: `"${serialized.hash}"` })
      .send(serialized.json);
  };
  router.get('/openapi/v3/api/:version', (req, res) => doc('', req.params.version, res));
  router.get('/openapi/v3/apis/:group/:version', (req, res) =>
    doc(req.params.group, req.params.version, res),
  );
  return router;
}
