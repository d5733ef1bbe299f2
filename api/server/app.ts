import express, { type NextFunction, type Request, type Response } from 'express';
import { ApiError } from '../../core/errors/index.ts';
import type { Admission } from '../handlers/admission.ts';
import type { ServerDeps } from '../handlers/context.ts';
import { dispatch, resolveRequest } from '../handlers/dispatch.ts';
import { isResourcePath, parseApiPath } from './request-path.ts';
import { sendError } from './respond.ts';
import { discoveryRouter } from './discovery-routes.ts';

/** AppOptions wires the request path: storage and registry, admission, and the auth seam. */
export interface AppOptions {
  readonly deps: ServerDeps;
  readonly admission: Admission;
  /** authenticate runs first on every request (401 on failure); absent = no authentication. */
  readonly authenticate?: express.RequestHandler;
  /** authorize runs after authentication (403 on failure); absent = allow. */
  readonly authorize?: express.RequestHandler;
  /** ready tells /readyz whether storage and caches are up. */
  readonly ready: () => boolean;
}

/** MAX_BODY is kube's request size limit (3 MiB); larger bodies get 413. */
const MAX_BODY = 3 * 1024 * 1024;

/**
 * createApp builds the express application: body limit, authentication, authorization,
 * discovery and OpenAPI, health, and the resource verbs, with every error rendered as a Status.
 */
export function createApp(opts: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  app.use((req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      opts.deps.logger.debug(
        { method: req.method, url: req.originalUrl, code: res.statusCode, ms },
        'request',
      );
    });
    next();
  });
  if (opts.authenticate) app.use(opts.authenticate);
  if (opts.authorize) app.use(opts.authorize);
  app.use(express.raw({ type: () => true, limit: MAX_BODY }));
  const health = (_req: Request, res: Response): void => {
    res.type('text/plain').send('ok');
  };
  app.get(['/healthz', '/livez'], health);
  app.get('/readyz', (_req, res) => {
    if (opts.ready()) res.type('text/plain').send('ok');
    else res.status(503).type('text/plain').send('storage not ready');
  });
  app.use(discoveryRouter(opts.deps.registry));
  app.use((req, res, next) => {
    const parsed = parseApiPath(req.path);
    if (parsed === undefined || !isResourcePath(parsed)) {
      next();
      return;
    }
    const r = resolveRequest(opts.deps, parsed, { req, res });
    dispatch(r, opts.admission).catch(next);
  });
  app.use((_req, _res, next) => {
    next(new ApiError('NotFound', 'the server could not find the requested resource'));
  });
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    sendError(res, err);
  });
  return app;
}
