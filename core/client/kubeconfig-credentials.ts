// What a kubeconfig's current context says about TLS and identity, obtained from client-node
// (applyToHTTPSOptions) rather than re-implemented: CA data or file, client certificate and key,
// bearer token or token-file, exec and auth-provider plugins, basic auth, impersonation,
// insecure-skip-tls-verify and tls-server-name.
import type { RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

/** TlsSettings are the connection options a kubeconfig implies, given to the pool once. */
export interface TlsSettings {
  readonly ca?: string | Buffer;
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  readonly pfx?: string | Buffer;
  readonly passphrase?: string;
  readonly rejectUnauthorized?: boolean;
  readonly servername?: string;
}

/** Credentials are the TLS settings and the headers (Authorization, Impersonate-User) of a call. */
export interface Credentials {
  readonly tls: TlsSettings;
  /** headers have lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
}

// PEM is ASCII: as a string it goes into the pool key (https.Agent#getName concatenates it per
// request) without a Buffer-to-string conversion each time.
const pem = (v: unknown): string | Buffer | undefined =>
  Buffer.isBuffer(v) ? v.toString('latin1') : typeof v === 'string' ? v : undefined;

function tlsOf(o: RequestOptions): TlsSettings {
  const tls: {
    -readonly [K in keyof TlsSettings]: TlsSettings[K];
  } = {};
  const ca = pem(o.ca);
  const cert = pem(o.cert);
  const key = pem(o.key);
  if (ca !== undefined) tls.ca = ca;
  if (cert !== undefined) tls.cert = cert;
  if (key !== undefined) tls.key = key;
  if (Buffer.isBuffer(o.pfx) || typeof o.pfx === 'string') tls.pfx = o.pfx;
  if (o.passphrase !== undefined) tls.passphrase = o.passphrase;
  if (o.rejectUnauthorized !== undefined) tls.rejectUnauthorized = o.rejectUnauthorized;
  if (o.servername !== undefined) tls.servername = o.servername;
  return tls;
}

function headersOf(o: RequestOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const given = o.headers;
  if (given !== undefined && !Array.isArray(given)) {
    for (const [k, v] of Object.entries(given)) {
      if (v === undefined) continue;
      headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
    }
  }
  // basic auth comes back as `auth`; a bearer token, when the user has both, wins as in
  // client-node's own fetch path (applySecurityAuthentication sets Basic first, then headers)
  if (typeof o.auth === 'string' && headers['authorization'] === undefined)
    headers['authorization'] = `Basic ${Buffer.from(o.auth).toString('base64')}`;
  return headers;
}

/**
 * readCredentials asks client-node for the current context's credentials. Plugins cache what
 * they fetch (an exec token until its expiry, an auth-provider token file for 60 s), so calling
 * this again is how a rotated token is picked up, exactly when client-node would pick it up.
 */
export async function readCredentials(kc: KubeConfig): Promise<Credentials> {
  const o: RequestOptions = {};
  await kc.applyToHTTPSOptions(o);
  return { tls: tlsOf(o), headers: headersOf(o) };
}

/**
 * credentialsRotate is true when the current user's token comes from a plugin (exec, or an
 * auth-provider such as the in-cluster token file) and must be read per request. A plain token,
 * token-file (client-node reads it once, at load), certificate or basic-auth user is read once.
 * TLS settings are read once in either case: a plugin's rotated client certificate would need a
 * new connection pool, which this client does not build (nor did the fetch one).
 */
export function credentialsRotate(kc: KubeConfig): boolean {
  const user = kc.getCurrentUser();
  // a kubeconfig file loads absent plugins as null, options built in code leave them undefined
  const present = (v: unknown): boolean => v !== undefined && v !== null;
  return user !== null && (present(user.exec) || present(user.authProvider));
}
