// One exec or attach session over a framed HTTP exchange: the request body carries `start` and
// stdin frames, the response carries stdout/stderr and one final `exit` (or `error`) frame. The
// process side is a child (exec) or a conmon attachment; closing the connection early stops an
// exec (TERM, which runc forwards into the container, as Mesos kills a session's nested
// container) or detaches an attach (the container keeps running).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable, Writable } from 'node:stream';
import type { ExitInfo, Frame, FrameType } from './frames.ts';
import { encodeFrame, FrameDecoder } from './frames.ts';

/** SessionIo is the process side of a session. */
export interface SessionIo {
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** stdin is undefined when the process takes no input (frames are then dropped). */
  readonly stdin: Writable | undefined;
  /** ended settles with the exit to report once the process side is finished. */
  readonly ended: Promise<ExitInfo>;
  /** abort stops the process side when the client goes away. */
  abort(): void;
}

/** frames reads a request body as frames. */
export async function* frames(req: IncomingMessage): AsyncGenerator<Frame, void, undefined> {
  const decoder = new FrameDecoder();
  for await (const chunk of req) yield* decoder.push(chunk as Buffer);
}

function send(res: ServerResponse, type: FrameType, payload?: Buffer | object): boolean {
  if (res.writableEnded || res.destroyed) return true;
  return res.write(encodeFrame(type, payload));
}

// forward copies a stream into frames, pausing it while the response is backed up.
function forward(from: Readable, type: FrameType, res: ServerResponse): Promise<void> {
  return new Promise(resolve => {
    from.on('data', (chunk: Buffer) => {
      if (!send(res, type, chunk)) {
        from.pause();
        res.once('drain', () => from.resume());
      }
    });
    from.once('end', resolve);
    from.once('close', resolve);
    from.once('error', () => resolve());
  });
}

async function pumpStdin(input: AsyncGenerator<Frame>, stdin: Writable | undefined): Promise<void> {
  try {
    for await (const f of input) {
      if (f.type === 'stdin') stdin?.write(f.payload);
      else if (f.type === 'stdinEnd') stdin?.end();
    }
  } catch {
    // a malformed or cut-off request body ends the input, not the session
  }
}

/**
 * serveSession streams a started session: it has answered nothing yet; it sends 200 and the
 * frames, and ends the response after the exit frame.
 */
export async function serveSession(
  res: ServerResponse,
  input: AsyncGenerator<Frame>,
  io: SessionIo,
): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'application/vnd.corral.frames' });
  res.flushHeaders();
  let finished = false;
  res.once('close', () => {
    if (!finished) io.abort();
  });
  void pumpStdin(input, io.stdin);
  io.stdin?.on('error', () => undefined); // the process may close its stdin first
  const outputs = Promise.all([
    forward(io.stdout, 'stdout', res),
    forward(io.stderr, 'stderr', res),
  ]);
  try {
    const exit = await io.ended;
    await outputs;
    send(res, 'exit', exit);
  } catch (e) {
    send(res, 'error', { message: e instanceof Error ? e.message : String(e) });
  } finally {
    finished = true;
    res.end();
  }
}
