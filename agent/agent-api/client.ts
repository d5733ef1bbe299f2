// A client of one agent's API, for the CLI and tests: JSON calls, logs, and framed exec/attach
// sessions wired to local streams. It finds nothing itself; locate.ts turns a Task or an agent
// name into the endpoint through the cluster API.
import type { ClientRequest, IncomingMessage } from 'node:http';
import { request } from 'node:http';
import type { Readable, Writable } from 'node:stream';
import type { ExitInfo } from './frames.ts';
import { encodeFrame, FrameDecoder, frameJson } from './frames.ts';

/** AgentEndpoint is where an agent API listens and the token it takes. */
export interface AgentEndpoint {
  readonly url: string;
  readonly token: string;
}

/** AgentApiError is a refused or failed call; `code` is the HTTP status. */
export class AgentApiError extends Error {
  override readonly name = 'AgentApiError';
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

/** SessionIo is the local side of an exec or attach. */
export interface SessionStreams {
  /** stdin is forwarded when given; otherwise the remote stdin is closed at once. */
  readonly stdin?: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** signal detaches (attach) or stops (exec) the session; it then resolves with no exit code. */
  readonly signal?: AbortSignal;
}

async function text(res: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of res) parts.push(c as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

async function failure(res: IncomingMessage): Promise<AgentApiError> {
  const body = await text(res);
  let message = body;
  try {
    message = (JSON.parse(body) as { message?: string }).message ?? body;
  } catch {
    // not JSON: keep the text
  }
  return new AgentApiError(res.statusCode ?? 0, message || `HTTP ${res.statusCode ?? 0}`);
}

/** AgentApiClient calls one agent. */
export class AgentApiClient {
  readonly #e: AgentEndpoint;

  constructor(endpoint: AgentEndpoint) {
    this.#e = endpoint;
  }

  #open(method: string, path: string, headers: Record<string, string> = {}): ClientRequest {
    const u = new URL(path, this.#e.url);
    return request(u, {
      method,
      headers: { authorization: `Bearer ${this.#e.token}`, ...headers },
    });
  }

  #response(req: ClientRequest): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      req.once('response', resolve);
      req.once('error', reject);
    });
  }

  /** call sends a JSON request and returns the status and decoded body; non-2xx throws. */
  async call(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<{ code: number; body: unknown }> {
    const req = this.#open(
      method,
      path,
      body === undefined ? {} : { 'content-type': 'application/json' },
    );
    const answer = this.#response(req);
    req.end(body === undefined ? undefined : JSON.stringify(body));
    const res = await answer;
    if ((res.statusCode ?? 0) >= 300) throw await failure(res);
    return { code: res.statusCode ?? 0, body: JSON.parse(await text(res)) as unknown };
  }

  /** text GETs a plain-text resource (logs). */
  async text(path: string): Promise<string> {
    const req = this.#open('GET', path);
    const answer = this.#response(req);
    req.end();
    const res = await answer;
    if ((res.statusCode ?? 0) >= 300) throw await failure(res);
    return text(res);
  }

  /** session runs a framed exec or attach and resolves with how it ended. */
  async session(path: string, start: object, io: SessionStreams): Promise<ExitInfo> {
    const req = this.#open('POST', path, { 'content-type': 'application/vnd.corral.frames' });
    const answer = this.#response(req);
    req.write(encodeFrame('start', start));
    if (io.stdin === undefined) {
      req.end(encodeFrame('stdinEnd'));
    } else {
      io.stdin.on('data', (c: Buffer | string) => req.write(encodeFrame('stdin', Buffer.from(c))));
      io.stdin.once('end', () => req.end(encodeFrame('stdinEnd')));
    }
    const onAbort = (): void => void req.destroy();
    io.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await answer;
      if (res.statusCode !== 200) throw await failure(res);
      return await new Promise<ExitInfo>((resolve, reject) => {
        const decoder = new FrameDecoder();
        let end: ExitInfo = { exitCode: null };
        res.on('data', (chunk: Buffer) => {
          for (const f of decoder.push(chunk)) {
            if (f.type === 'stdout') io.stdout.write(f.payload);
            else if (f.type === 'stderr') io.stderr.write(f.payload);
            else if (f.type === 'exit') end = frameJson(f) as ExitInfo;
            else if (f.type === 'error')
              reject(new AgentApiError(500, (frameJson(f) as { message: string }).message));
          }
        });
        res.once('end', () => resolve(end));
        res.once('error', () => resolve(end));
        res.once('close', () => resolve(end));
      });
    } catch (e) {
      if (io.signal?.aborted === true) return { exitCode: null };
      throw e;
    } finally {
      io.signal?.removeEventListener('abort', onAbort);
      io.stdin?.removeAllListeners('data');
    }
  }
}
