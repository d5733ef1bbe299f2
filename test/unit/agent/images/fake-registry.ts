// A Docker Registry V2 stand-in on 127.0.0.1: serves manifests and blobs from maps, can demand a
// Bearer token (with its own token endpoint), and lets a test rewrite any answer.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Digest } from '../../../../agent/images/digest.ts';
import { sha256, type BuiltImage } from './builders.ts';

/** FakeRegistry is a running fake; `requests` logs every request line with its auth header. */
export interface FakeRegistry {
  readonly host: string;
  readonly url: string;
  readonly requests: { method: string; path: string; auth: string | undefined }[];
  /** manifests by `repo:tag` or `repo@digest`. */
  readonly manifests: Map<string, { body: Buffer; type: string }>;
  /** blobs by digest (shared by all repos). */
  readonly blobs: Map<string, Buffer>;
  /** token, when set, is required as `Bearer <token>`; the token endpoint hands it out. */
  token: string | undefined;
  /** tokenBasic, when set, is the Basic header the token endpoint requires. */
  tokenBasic: string | undefined;
  /** hook may answer a request itself (return true) before the fake does. */
  hook: ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined;
  addImage(repo: string, tag: string, image: BuiltImage): void;
  addManifest(repo: string, tag: string, m: { body: Buffer; type: string; digest: Digest }): void;
  close(): Promise<void>;
}

function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: Buffer | string,
): void {
  res.writeHead(status, { 'Content-Length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

const notFound = (res: ServerResponse, code: string): void =>
  send(
    res,
    404,
    { 'Content-Type': 'application/json' },
    JSON.stringify({ errors: [{ code, message: 'unknown' }] }),
  );

/** startFakeRegistry listens on a free loopback port. */
export async function startFakeRegistry(): Promise<FakeRegistry> {
  const reg: Omit<FakeRegistry, 'host' | 'url'> & { host: string; url: string } = {
    host: '',
    url: '',
    requests: [],
    manifests: new Map(),
    blobs: new Map(),
    token: undefined,
    tokenBasic: undefined,
    hook: undefined,
    addImage(repo, tag, image) {
      this.addManifest(repo, tag, {
        body: image.manifest,
        type: image.manifestType,
        digest: image.digest,
      });
      this.blobs.set(image.configDigest, image.config);
      for (const l of image.layers) this.blobs.set(l.digest, l.blob);
    },
    addManifest(repo, tag, { body, type, digest }) {
      this.manifests.set(`${repo}:${tag}`, { body, type });
      this.manifests.set(`${repo}@${digest}`, { body, type });
    },
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    reg.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      auth: req.headers.authorization,
    });
    if (reg.hook?.(req, res) === true) return;
    if (url.pathname === '/token') {
      if (reg.tokenBasic !== undefined && req.headers.authorization !== reg.tokenBasic)
        return send(res, 401, {}, 'bad credentials');
      return send(
        res,
        200,
        { 'Content-Type': 'application/json' },
        JSON.stringify({ token: reg.token, expires_in: 300 }),
      );
    }
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
    if (reg.token !== undefined && req.headers.authorization !== `Bearer ${reg.token}`) {
      const scope = m === null ? '' : `,scope="repository:${m[1] ?? ''}:pull"`;
      return send(
        res,
        401,
        { 'WWW-Authenticate': `Bearer realm="${reg.url}/token",service="fake"${scope}` },
        '{}',
      );
    }
    if (url.pathname === '/v2/')
      return send(res, 200, { 'Content-Type': 'application/json' }, '{}');
    if (m === null) return notFound(res, 'NAME_UNKNOWN');
    const [, repo = '', kind, ref = ''] = m;
    if (kind === 'manifests') {
      const found = reg.manifests.get(
        ref.startsWith('sha256:') ? `${repo}@${ref}` : `${repo}:${ref}`,
      );
      if (found === undefined) return notFound(res, 'MANIFEST_UNKNOWN');
      return send(
        res,
        200,
        { 'Content-Type': found.type, 'Docker-Content-Digest': sha256(found.body) },
        found.body,
      );
    }
    const blob = reg.blobs.get(ref);
    if (blob === undefined) return notFound(res, 'BLOB_UNKNOWN');
    send(res, 200, { 'Content-Type': 'application/octet-stream' }, blob);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  reg.host = `127.0.0.1:${port}`;
  reg.url = `http://${reg.host}`;
  return reg;
}
