// exec and attach of one container as SessionIo, shared by the Task and the standalone routes;
// runtime errors become the HTTP answers a client can act on (404 unknown, 409 not running).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import {
  ContainerNotFoundError,
  ContainerNotRunningError,
  LOG_FILE,
  containerPaths,
  readLogFile,
} from '../runtime/index.ts';
import type { ContainerRuntime, LogStream } from '../runtime/types.ts';
import type { ExitInfo, Frame } from './frames.ts';
import { frameJson } from './frames.ts';
import { ApiError } from './server.ts';
import { frames, serveSession } from './stream-session.ts';

/** ExecRequest is the `start` frame of an exec. */
export interface ExecRequest {
  readonly command: readonly string[];
  readonly tty?: boolean;
}

/** runtimeError maps the runtime's refusals to HTTP answers; others pass through. */
export function runtimeError(e: unknown): unknown {
  if (e instanceof ContainerNotFoundError) return new ApiError(404, e.message);
  if (e instanceof ContainerNotRunningError) return new ApiError(409, e.message);
  return e;
}

async function startFrame(input: AsyncGenerator<Frame>): Promise<unknown> {
  const first = await input.next();
  if (first.done === true || first.value.type !== 'start') {
    throw new ApiError(400, 'the stream must begin with a start frame');
  }
  try {
    return frameJson(first.value);
  } catch {
    throw new ApiError(400, 'the start frame is not JSON');
  }
}

function execRequest(body: unknown): ExecRequest {
  const b = body as Partial<ExecRequest> | null;
  const cmd = b?.command;
  if (!Array.isArray(cmd) || cmd.length === 0 || !cmd.every(a => typeof a === 'string')) {
    throw new ApiError(400, 'command must be a non-empty list of strings');
  }
  return { command: cmd, tty: b?.tty === true };
}

/** SessionTarget is the container a session runs against. */
export interface SessionTarget {
  readonly runtime: ContainerRuntime;
  readonly containerId: string;
}

/** serveExec runs a command in the container and streams it. */
export async function serveExec(
  t: SessionTarget,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const input = frames(req);
  const { command, tty } = execRequest(await startFrame(input));
  const child = await t.runtime
    .exec(t.containerId, command, { tty: tty === true })
    .catch((e: unknown) => {
      throw runtimeError(e);
    });
  const ended = new Promise<ExitInfo>(resolve => {
    child.once('close', (code, signal) =>
      resolve({ exitCode: code, ...(signal === null ? {} : { signal }) }),
    );
    child.once('error', () => resolve({ exitCode: null }));
  });
  await serveSession(res, input, {
    stdout: child.stdout,
    stderr: child.stderr,
    stdin: child.stdin,
    ended,
    abort: () => child.kill('SIGTERM'),
  });
}

async function exitOf(t: SessionTarget): Promise<ExitInfo> {
  const s = await t.runtime.state(t.containerId).catch(() => undefined);
  if (s?.status !== 'exited') return { exitCode: null };
  return { exitCode: s.exitCode, ...(s.signal === undefined ? {} : { signal: s.signal }) };
}

/** AttachTarget is an attach's container, whether it takes input, and a fallback for its end. */
export interface AttachTarget extends SessionTarget {
  readonly acceptsStdin: boolean;
  /** exitFallback reports the end when the container is already gone (cleaned up after it). */
  readonly exitFallback?: () => Promise<ExitInfo>;
}

/** serveAttach connects to the container's stdio; stdin only when `acceptsStdin`. */
export async function serveAttach(
  t: AttachTarget,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const input = frames(req);
  await startFrame(input);
  const a = await t.runtime.attach(t.containerId).catch((e: unknown) => {
    throw runtimeError(e);
  });
  await serveSession(res, input, {
    stdout: a.stdout,
    stderr: a.stderr,
    stdin: t.acceptsStdin ? a.stdin : undefined,
    ended: a.closed.then(async () => {
      const end = await exitOf(t);
      return end.exitCode === null && t.exitFallback !== undefined ? t.exitFallback() : end;
    }),
    abort: () => a.close(),
  });
}

/** serveLogs answers with the container's log (`stream` = all|stdout|stderr, `tail` = N). */
export async function serveLogs(
  t: { readonly workDir: string; readonly containerId: string },
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const stream = (url.searchParams.get('stream') ?? 'all') as LogStream;
  if (!['all', 'stdout', 'stderr'].includes(stream)) {
    throw new ApiError(400, 'stream must be all, stdout or stderr');
  }
  const tailText = url.searchParams.get('tail');
  const tail = tailText === null ? undefined : Number(tailText);
  if (tail !== undefined && (!Number.isInteger(tail) || tail < 0)) {
    throw new ApiError(400, 'tail must be a non-negative integer');
  }
  // the log is read from the sandbox, which outlives the container (it is kept after the end)
  const path = join(containerPaths(t.workDir, t.containerId).defaultSandbox, LOG_FILE);
  const text = await readLogFile(path, stream, tail);
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}
