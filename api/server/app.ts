import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { ApiError } from '../../core/errors/index.ts';
import type { Admission } from '../handlers/admission.ts';
import type { ServerDeps } from '../handlers/context.ts';
import { dispatch, resolveRequest } from '../handlers/dispatch.ts';
import { discoveryRouter } from './discovery-routes.ts';
import { MAX_BODY } from './read-body.ts';
import { isResourcePath, parseApiPath } from './request-path.ts';
import { renderError, resourceRoute } from './resource-route.ts';

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
  /** metrics serves GET /metrics (after authentication and authorization); absent = 404. */
  readonly metrics?: express.RequestHandler;
}

// requestLog logs each request's outcome at debug level. The level is checked per request (pino
// levels can change at run time) so that, when debug is off, no `finish` listener and closure is
// set up per request.
function requestLog(logger: Logger): express.RequestHandler {
  return (req, res, next) => {
    if (!logger.isLevelEnabled('debug')) {
      next();
      return;
    }
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      logger.debug(
        { method: req.method, url: req.originalUrl, code: res.statusCode, ms },
        'request',
      );
    });
    next();
  };
}

/**
 * createApp builds the express application: body limit, authentication, authorization,
 * discovery and OpenAPI, health, and the resource verbs, with every error rendered as a Status.
 * Resource URLs take resourceRoute, which runs the same steps without the generic stack; the
 * generic resource handler below stays for what resourceRoute hands on (malformed paths).
 */
export function createApp(opts: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  const raw = express.raw({ type: () => true, limit: MAX_BODY });
  app.use(requestLog(opts.deps.logger));
  app.use(
    resourceRoute({
      deps: opts.deps,
      admission: opts.admission,
      authenticate: opts.authenticate,
      authorize: opts.authorize,
      inflatingParser: raw,
    }),
  );
  if (opts.authenticate) app.use(opts.authenticate);
  if (opts.authorize) app.use(opts.authorize);
  app.use(raw);
  const health = (_req: Request, res: Response): void => {
    res.type('text/plain').send('ok');
  };
  app.get(['/healthz', '/livez'], health);
  app.get('/readyz', (_req, res) => {
    if (opts.ready()) res.type('text/plain').send('ok');
    else res.status(503).type('text/plain').send('storage not ready');
  });
  if (opts.metrics) app.get('/metrics', opts.metrics);
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
    renderError(err, res, next);
  });
  return app;
}
