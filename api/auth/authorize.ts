import type { RequestHandler, Response } from 'express';
import { ApiError, internalError } from '../../core/errors/index.ts';
import { PUBLIC_INFO_PATHS, userOf } from './authenticate.ts';
import { MONITORING_PATHS, mayReadMonitoring } from './monitoring.ts';
import type { RequestInfo } from './request-attributes.ts';
import { requestAttributesFrom } from './request-attributes.ts';
import { sendStatus } from './send-status.ts';
import type { UserInfo } from './user.ts';
import { isAuthenticated } from './user.ts';

/** RequestAttributes is who asks (user) and what for (RequestInfo): what an Authorizer judges. */
export type RequestAttributes = RequestInfo & { readonly user: UserInfo };

/** AuthorizationDecision is an Authorizer's answer; `reason` is appended to a 403's message. */
export interface AuthorizationDecision {
  readonly allowed: boolean;
  readonly reason?: string;
}

/**
 * Authorizer decides whether a user may do what a request asks. It is synchronous: rules are
 * judged against an in-memory cache (RBAC objects kept current by a watch), never fetched per call.
 */
export interface Authorizer {
  authorize(attrs: RequestAttributes): AuthorizationDecision;
}

/**
 * allowAllAuthenticated lets any authenticated user do anything except read the monitoring
 * paths (/metrics: superusers and system:monitoring only, see mayReadMonitoring), and the
 * anonymous user only GET/HEAD the public-info paths (as kube's system:public-info-viewer), so
 * health probes keep working. It is the default until RBAC rules exist.
 */
export const allowAllAuthenticated: Authorizer = {
  authorize(attrs) {
    if (
      !attrs.isResourceRequest &&
      MONITORING_PATHS.includes(attrs.nonResourcePath) &&
      !mayReadMonitoring(attrs.user)
    ) {
      return { allowed: false, reason: 'only system:masters and system:monitoring may read it' };
    }
    if (isAuthenticated(attrs.user)) return { allowed: true };
    if (
      !attrs.isResourceRequest &&
      (attrs.verb === 'get' || attrs.verb === 'head') &&
      PUBLIC_INFO_PATHS.includes(attrs.nonResourcePath)
    ) {
      return { allowed: true };
    }
    return { allowed: false, reason: 'only authenticated users may use this API' };
  },
};

/**
 * forbidden is kube's 403 for a denied request, message and details as kube-apiserver writes them:
 * `widgets.example.com "w1" is forbidden: User "bob" cannot get resource "widgets" in API group
 * "example.com" in the namespace "default"[: <reason>]`; `... at the cluster scope` without a
 * namespace; `forbidden: User "bob" cannot get path "/x"` for non-resource requests.
 */
export function forbidden(attrs: RequestAttributes, reason = ''): ApiError {
  const who = `User ${JSON.stringify(attrs.user.name)} cannot ${attrs.verb}`;
  const tail = reason === '' ? '' : `: ${reason}`;
  if (!attrs.isResourceRequest) {
    return new ApiError(
      'Forbidden',
      `forbidden: ${who} path ${JSON.stringify(attrs.nonResourcePath)}${tail}`,
      {},
    );
  }
  const { apiGroup, resource, subresource, namespace, name } = attrs;
  const what = subresource === '' ? resource : `${resource}/${subresource}`;
  const where =
    namespace === '' ? 'at the cluster scope' : `in the namespace ${JSON.stringify(namespace)}`;
  const why = `${who} resource ${JSON.stringify(what)} in API group ${JSON.stringify(apiGroup)} ${where}${tail}`;
  // The subject is the group-qualified resource (without the subresource), and the name if any.
  const qualified = apiGroup === '' ? resource : `${resource}.${apiGroup}`;
  const subject = name === '' ? qualified : `${qualified} ${JSON.stringify(name)}`;
  return new ApiError('Forbidden', `${subject} is forbidden: ${why}`, {
    ...(name === '' ? {} : { name }),
    ...(apiGroup === '' ? {} : { group: apiGroup }),
    ...(resource === '' ? {} : { kind: resource }),
  });
}

/** AuthorizationOptions configures authorizationMiddleware. */
export interface AuthorizationOptions {
  readonly authorizer: Authorizer;
}

/**
 * authorizationMiddleware asks the authorizer about every request, after authenticationMiddleware,
 * answering 403 (see forbidden) when denied. On success the attributes are stored on
 * `res.locals.requestAttributes` (read them with requestAttributesOf) for handlers and logs.
 */
export function authorizationMiddleware(opts: AuthorizationOptions): RequestHandler {
  return (req, res, next) => {
    const user = userOf(res);
    if (user === undefined) {
      // Fail closed: this is a wiring mistake, never a reason to let a request through.
      sendStatus(res, internalError('the request reached authorization without a user'));
      return;
    }
    const attrs: RequestAttributes = {
      ...requestAttributesFrom(req.method, req.path, req.query),
      user,
    };
    const decision = opts.authorizer.authorize(attrs);
    if (!decision.allowed) {
      sendStatus(res, forbidden(attrs, decision.reason));
      return;
    }
    res.locals.requestAttributes = attrs;
    next();
  };
}

/** requestAttributesOf returns what authorizationMiddleware stored on the response, if it ran. */
export function requestAttributesOf(res: Response): RequestAttributes | undefined {
  return res.locals.requestAttributes as RequestAttributes | undefined;
}
