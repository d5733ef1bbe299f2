// The registry token flow (distribution's token spec): a 401 carries
// `WWW-Authenticate: Bearer realm="…",service="…",scope="…"`; we GET the realm with service and
// scope (and Basic credentials if we have some), and retry with `Authorization: Bearer <token>`.
import { RegistryError } from '../errors.ts';
import { safeUrl } from './endpoint.ts';

/** Credentials are a registry user and password (or an identity token as the password). */
export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** Challenge is one scheme of a WWW-Authenticate header with its parameters (keys lowercased). */
export interface Challenge {
  readonly scheme: string;
  readonly params: Readonly<Record<string, string>>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

/**
 * parseChallenges reads a WWW-Authenticate value. It may hold several challenges, and quoted
 * values may contain commas, so it scans rather than splits.
 */
export function parseChallenges(header: string): Challenge[] {
  const out: { scheme: string; params: Record<string, string> }[] = [];
  let s = header.trim();
  while (s.length > 0) {
    const word = TOKEN.exec(s)?.[0];
    if (word === undefined) break;
    s = s.slice(word.length).trimStart();
    if (s.startsWith('=') && out.length > 0) {
      s = s.slice(1).trimStart();
      let value: string;
      if (s.startsWith('"')) {
        const m = /^"((?:[^"\\]|\\.)*)"/.exec(s);
        value = (m?.[1] ?? '').replace(/\\(.)/g, '$1');
        s = s.slice(m?.[0].length ?? s.length);
      } else {
        value = TOKEN.exec(s)?.[0] ?? '';
        s = s.slice(value.length);
      }
      const last = out[out.length - 1];
      if (last !== undefined) last.params[word.toLowerCase()] = value;
    } else {
      out.push({ scheme: word.toLowerCase(), params: {} });
    }
    s = s.trimStart();
    if (s.startsWith(',')) s = s.slice(1).trimStart();
  }
  return out;
}

/** basicHeader is the `Authorization` value for Basic credentials. */
export function basicHeader(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}

/** BearerToken is a fetched token and when (epoch ms) to stop using it. */
export interface BearerToken {
  readonly header: string;
  readonly expiresAt: number;
}

/** TokenRequest is what fetchToken needs. */
export interface TokenRequest {
  readonly fetch: typeof globalThis.fetch;
  readonly challenge: Challenge;
  /** scope is used when the challenge names none (`repository:<name>:pull`). */
  readonly scope: string;
  readonly credentials: Credentials | undefined;
  readonly now: number;
  readonly signal: AbortSignal | undefined;
}

/** fetchToken runs the token GET against the challenge's realm; a refusal is a RegistryError. */
export async function fetchToken(req: TokenRequest): Promise<BearerToken> {
  const realm = req.challenge.params['realm'];
  if (realm === undefined || realm === '')
    throw new RegistryError({ status: 401, message: 'Bearer challenge without a realm' });
  const url = safeUrl(realm);
  const service = req.challenge.params['service'];
  if (service !== undefined) url.searchParams.set('service', service);
  url.searchParams.set('scope', req.challenge.params['scope'] ?? req.scope);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (req.credentials !== undefined) headers['Authorization'] = basicHeader(req.credentials);
  let res: Response;
  try {
    res = await req.fetch(url, { headers, redirect: 'error', signal: req.signal ?? null });
  } catch (e) {
    if (req.signal?.aborted === true) throw e;
    throw new RegistryError({
      status: 0,
      message: `token request to ${url.origin} failed`,
      cause: e,
    });
  }
  const text = await res.text();
  if (!res.ok)
    throw new RegistryError({
      status: res.status,
      code: 'UNAUTHORIZED',
      message: `token server ${url.origin} refused: HTTP ${res.status} ${text.slice(0, 200)}`,
    });
  let body: { token?: unknown; access_token?: unknown; expires_in?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new RegistryError({ status: res.status, message: 'token server sent invalid JSON' });
  }
  const token = typeof body.token === 'string' ? body.token : body.access_token;
  if (typeof token !== 'string' || token === '')
    throw new RegistryError({ status: res.status, message: 'token server sent no token' });
  // the spec's default lifetime is 60 s; renew a little early so a slow pull does not race it
  const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
  return { header: `Bearer ${token}`, expiresAt: req.now + Math.max(0, seconds - 10) * 1000 };
}
