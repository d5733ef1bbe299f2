import type { RequestHandler, Response } from 'express';
import { ApiError } from '../../core/errors/index.ts';
import { sendStatus } from './send-status.ts';
import type { TokenAuthenticator } from './token-file.ts';
import type { UserInfo } from './user.ts';
import { ANONYMOUS_USER } from './user.ts';

/** PUBLIC_INFO_PATHS are the paths kube serves to anonymous callers (system:public-info-viewer). */
export const PUBLIC_INFO_PATHS: readonly string[] = ['/healthz', '/livez', '/readyz', '/version'];

/** AuthenticationOptions configures authenticationMiddleware. */
export interface AuthenticationOptions {
  readonly authenticator: TokenAuthenticator;
  /**
   * Paths a request without credentials may reach as `system:anonymous`; exact matches, or a
   * prefix when the entry ends in `*` (as RBAC nonResourceURLs). Defaults to PUBLIC_INFO_PATHS.
   */
  readonly anonymousPaths?: readonly string[];
}

/** unauthorized is kube's 401: `{"kind":"Status",...,"message":"Unauthorized","reason":"Unauthorized","code":401}`. */
export function unauthorized(): ApiError {
  return new ApiError('Unauthorized', 'Unauthorized');
}

/**
 * authenticationMiddleware identifies the caller from `Authorization: Bearer <token>` and stores
 * the user on `res.locals.user` (read it with userOf). Mount it at the app root so `req.path` is
 * the full path. A wrong token is a 401 everywhere, even on anonymous paths (kube does not let a
 * bad credential fall back to anonymous); no credentials is a 401 except on `anonymousPaths`. A
 * header with another scheme, or `Bearer` with nothing after it, counts as no credentials.
 */
export function authenticationMiddleware(opts: AuthenticationOptions): RequestHandler {
  const anonymous = opts.anonymousPaths ?? PUBLIC_INFO_PATHS;
  // A keep-alive connection sends the same Authorization header on every request (a client's
  // hundreds of Lease renewals a second): the user its last accepted header proved is kept for the
  // connection, saving a hash and a pass over the token table per request. The header is compared
  // only with the one sent before on the same connection, both the caller's own, so the
  // comparison's timing reveals no secret (the table's constant-time check stays for new ones).
  const proven = new WeakMap<object, { readonly header: string; readonly user: UserInfo }>();
  return (req, res, next) => {
    const header = req.headers.authorization;
    const known = proven.get(req.socket);
    if (known !== undefined && header === known.header) {
      delete req.headers.authorization;
      res.locals.user = known.user;
      next();
      return;
    }
    const token = bearerToken(header);
    let user: UserInfo | undefined;
    if (token !== undefined) {
      user = opts.authenticator.authenticateToken(token);
      if (user !== undefined && header !== undefined) proven.set(req.socket, { header, user });
      // Handlers and logs past this point never see the credential.
      if (user !== undefined) delete req.headers.authorization;
    } else if (matchesAny(req.path, anonymous)) {
      user = ANONYMOUS_USER;
    }
    if (user === undefined) {
      sendStatus(res, unauthorized());
      return;
    }
    res.locals.user = user;
    next();
  };
}

/** userOf returns the user authenticationMiddleware stored on the response, if it ran. */
export function userOf(res: Response): UserInfo | undefined {
  return res.locals.user as UserInfo | undefined;
}

// bearerToken parses the header as client-go writes it and kube reads it: the scheme is
// case-insensitive, the token is the second space-separated word.
function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const [scheme = '', token = ''] = header.trim().split(' ');
  return scheme.toLowerCase() === 'bearer' && token !== '' ? token : undefined;
}

function matchesAny(path: string, patterns: readonly string[]): boolean {
  return patterns.some(p => (p.endsWith('*') ? path.startsWith(p.slice(0, -1)) : path === p));
}
