// A Docker Registry HTTP API V2 client on Node's fetch: ping, manifests (digest-checked bytes),
// blobs (a stream the caller hashes). HTTP failures become RegistryError here and nowhere else.
import type { Clock } from '../../../core/util/clock.ts';
import { systemClock } from '../../../core/util/clock.ts';
import { isDigest, sha256Of, type Digest } from '../digest.ts';
import { DigestMismatchError, RegistryError } from '../errors.ts';
import { basicHeader, fetchToken, parseChallenges, type Credentials } from './auth.ts';
import { registryBaseUrl, safeUrl, type RegistryEndpoint } from './endpoint.ts';
import { MANIFEST_ACCEPT } from './media-types.ts';

/** RegistryClientOptions are the client's dependencies; all optional. */
export interface RegistryClientOptions {
  readonly fetch?: typeof globalThis.fetch;
  /** credentials returns a user for a registry host, or undefined for anonymous pulls. */
  readonly credentials?: (registry: string) => Credentials | undefined;
  readonly clock?: Clock;
  /** maxManifestBytes caps a manifest or index body; default 4 MiB. */
  readonly maxManifestBytes?: number;
}

/** FetchedManifest is a manifest's exact bytes, its Content-Type and its verified digest. */
export interface FetchedManifest {
  readonly bytes: Buffer;
  readonly contentType: string;
  readonly digest: Digest;
}

/** FetchedBlob is an open blob response; the caller must consume or cancel `body`. */
export interface FetchedBlob {
  readonly body: ReadableStream<Uint8Array>;
  readonly contentLength: number | undefined;
}

/** RegistryClient talks to one or many registries; tokens are cached per registry and scope. */
export interface RegistryClient {
  /** ping checks `/v2/` answers like a V2 registry (200, or 401 asking for auth). */
  ping(ep: RegistryEndpoint, signal?: AbortSignal): Promise<void>;
  /**
   * getManifest GETs `manifests/<reference>` with every supported Accept type. The body's sha256
   * must equal `reference` when it is a digest, and `Docker-Content-Digest` when sent.
   */
  getManifest(
    ep: RegistryEndpoint,
    reference: string,
    signal?: AbortSignal,
  ): Promise<FetchedManifest>;
  /** getBlob opens `blobs/<digest>`, following redirects (each checked by safeUrl). */
  getBlob(ep: RegistryEndpoint, digest: Digest, signal?: AbortSignal): Promise<FetchedBlob>;
}

const MAX_REDIRECTS = 5;

async function registryFailure(res: Response, what: string): Promise<RegistryError> {
  const text = await res.text().catch(() => '');
  let code: string | undefined;
  let detail = text.trim().slice(0, 200);
  try {
    const first = (JSON.parse(text) as { errors?: { code?: string; message?: string }[] })
      .errors?.[0];
    if (first !== undefined) {
      code = first.code;
      detail = `${first.code ?? ''} ${first.message ?? ''}`.trim();
    }
  } catch {
    // not the registry's JSON error body; keep the text
  }
  const message = `${what}: HTTP ${res.status}${detail === '' ? '' : ` ${detail}`}`;
  return new RegistryError(
    code === undefined ? { status: res.status, message } : { status: res.status, code, message },
  );
}

/** createRegistryClient builds a client; see RegistryClient for each call's contract. */
export function createRegistryClient(opts: RegistryClientOptions = {}): RegistryClient {
  const doFetch = opts.fetch ?? globalThis.fetch;
  const clock = opts.clock ?? systemClock;
  const maxManifest = opts.maxManifestBytes ?? 4 * 1024 * 1024;
  const tokens = new Map<string, { header: string; expiresAt: number }>();

  // one fetch with manual redirects, so a redirect to plain http elsewhere is refused and the
  // Authorization header never follows to another origin
  async function send(
    url: URL,
    init: { headers: Record<string, string>; method: string; signal: AbortSignal | undefined },
  ): Promise<Response> {
    let current = url;
    const headers = { ...init.headers };
    for (let hop = 0; ; hop++) {
      let res: Response;
      try {
        res = await doFetch(current, {
          method: init.method,
          headers,
          redirect: 'manual',
          signal: init.signal ?? null,
        });
      } catch (e) {
        if (init.signal?.aborted === true) throw e;
        const why = (e as { cause?: { message?: string } }).cause?.message ?? String(e);
        throw new RegistryError({
          status: 0,
          message: `cannot reach ${current.origin}: ${why}`,
          cause: e,
        });
      }
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || location === null) return res;
      if (hop >= MAX_REDIRECTS)
        throw new RegistryError({
          status: res.status,
          message: `too many redirects from ${url.href}`,
        });
      await res.body?.cancel();
      const next = safeUrl(location, current.href);
      if (next.origin !== current.origin) delete headers['Authorization'];
      current = next;
    }
  }

  // GET with the auth dance: on a 401 fetch a token (or use Basic) once, then retry
  async function request(
    ep: RegistryEndpoint,
    path: string,
    init: { accept?: string; signal: AbortSignal | undefined },
  ): Promise<Response> {
    const url = safeUrl(`${registryBaseUrl(ep)}${path}`);
    const scope = `repository:${ep.repository}:pull`;
    const key = `${ep.registry}|${scope}`;
    const headers: Record<string, string> =
      init.accept === undefined ? {} : { Accept: init.accept };
    const cached = tokens.get(key);
    if (cached !== undefined && cached.expiresAt > clock.now())
      headers['Authorization'] = cached.header;
    const res = await send(url, { headers, method: 'GET', signal: init.signal });
    if (res.status !== 401) return res;
    const challenge = parseChallenges(res.headers.get('www-authenticate') ?? '');
    await res.body?.cancel();
    const credentials = opts.credentials?.(ep.registry);
    const bearer = challenge.find(c => c.scheme === 'bearer');
    const basic = challenge.find(c => c.scheme === 'basic');
    if (bearer !== undefined) {
      const token = await fetchToken({
        fetch: doFetch,
        challenge: bearer,
        scope,
        credentials,
        now: clock.now(),
        signal: init.signal,
      });
      tokens.set(key, token);
      headers['Authorization'] = token.header;
    } else if (basic !== undefined && credentials !== undefined) {
      const header = basicHeader(credentials);
      tokens.set(key, { header, expiresAt: Number.POSITIVE_INFINITY });
      headers['Authorization'] = header;
    } else {
      throw new RegistryError({
        status: 401,
        code: 'UNAUTHORIZED',
        message: `${ep.registry} requires authentication we cannot provide`,
      });
    }
    return send(url, { headers, method: 'GET', signal: init.signal });
  }

  return {
    async ping(ep, signal) {
      const url = safeUrl(`${registryBaseUrl(ep)}/v2/`);
      const res = await send(url, { headers: {}, method: 'GET', signal });
      await res.body?.cancel();
      if (res.status !== 200 && res.status !== 401)
        throw new RegistryError({
          status: res.status,
          message: `${url.origin} is not a V2 registry: HTTP ${res.status} on /v2/`,
        });
    },

    async getManifest(ep, reference, signal) {
      const res = await request(ep, `/v2/${ep.repository}/manifests/${reference}`, {
        accept: MANIFEST_ACCEPT,
        signal,
      });
      if (!res.ok) throw await registryFailure(res, `manifest ${ep.repository}:${reference}`);
      const length = Number(res.headers.get('content-length') ?? '0');
      if (length > maxManifest) {
        await res.body?.cancel();
        throw new RegistryError({
          status: res.status,
          message: `manifest is ${length} bytes, over the ${maxManifest} limit`,
        });
      }
      const bytes = Buffer.from(await res.arrayBuffer());
      if (bytes.length > maxManifest)
        throw new RegistryError({
          status: res.status,
          message: `manifest is over the ${maxManifest} byte limit`,
        });
      const digest = sha256Of(bytes);
      // hash the exact bytes: re-serialised JSON would hash differently (containers-here §3.4)
      if (isDigest(reference) && digest !== reference)
        throw new DigestMismatchError(
          `manifest ${ep.repository}@${reference} digest`,
          reference,
          digest,
        );
      const announced = res.headers.get('docker-content-digest');
      if (announced !== null && announced.startsWith('sha256:') && announced !== digest)
        throw new DigestMismatchError(
          `manifest ${ep.repository}:${reference} Docker-Content-Digest`,
          announced,
          digest,
        );
      return { bytes, contentType: res.headers.get('content-type') ?? '', digest };
    },

    async getBlob(ep, digest, signal) {
      const res = await request(ep, `/v2/${ep.repository}/blobs/${digest}`, { signal });
      if (!res.ok || res.body === null)
        throw await registryFailure(res, `blob ${ep.repository}@${digest}`);
      const length = res.headers.get('content-length');
      return { body: res.body, contentLength: length === null ? undefined : Number(length) };
    },
  };
}
