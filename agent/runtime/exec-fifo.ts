// Starting a created container without a `runc start` process. `runc create` leaves the
// container's init blocked opening `<root>/<id>/exec.fifo` for writing; `runc start` opens it for
// reading, reads the byte init then writes, waits for the end of file (init's end is O_CLOEXEC,
// so it closes when the task's process is exec'd) and removes the fifo, which is what makes runc
// call the container running. This does the same from the agent: no fork, no exec, no wait for a
// CPU on a busy host. Whatever it does not recognise (no fifo: already started, or another
// runtime layout) is left to `runc start` by the caller.
import { constants, open as openFd } from 'node:fs';
import { lstat, readFile, unlink } from 'node:fs/promises';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Clock } from '../../core/util/clock.ts';

const openAsync = promisify(openFd);

/** EXEC_FIFO is runc's name for the fifo, in the container's state dir. */
export const EXEC_FIFO = 'exec.fifo';

/** FifoStart is the outcome: started, no fifo to start through, or init died before its exec. */
export type FifoStart = 'started' | 'noFifo' | 'dead';

/** FifoStartOptions name the container and how to watch its init while waiting. */
export interface FifoStartOptions {
  readonly runcRoot: string;
  readonly id: string;
  /** pid of the container's init (runc's pid file), watched as runc does while it waits. */
  readonly pid: number;
  readonly clock: Clock;
  readonly timeoutMs: number;
}

// runc checks its init every 100 ms while it waits on the fifo; so do we
const LIVENESS_MS = 100;

/** processGone is true when `pid` has exited (gone or a zombie). */
export async function processGone(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return true;
  }
}

/** startThroughFifo starts a created container as `runc start` would. */
export async function startThroughFifo(o: FifoStartOptions): Promise<FifoStart> {
  const path = join(o.runcRoot, o.id, EXEC_FIFO);
  const st = await lstat(path).catch(() => undefined);
  if (st?.isFIFO() !== true) return 'noFifo';
  let fd: number;
  try {
    // non-blocking, so the open never waits for a writer (init is, or will be, waiting for us)
    fd = await openAsync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'noFifo';
    throw e;
  }
  // a pipe handle reads as data arrives: no polling, no thread held while init gets ready
  const fifo = new Socket({ fd, readable: true, writable: false });
  const stop = new AbortController();
  let bytes = 0;
  try {
    const read = new Promise<FifoStart>((resolve, reject) => {
      fifo.on('data', (d: Buffer) => (bytes += d.length));
      fifo.once('end', () => resolve(bytes > 0 ? 'started' : 'dead'));
      fifo.once('error', reject);
    });
    const outcome = await Promise.race([read, watchInit(o, () => bytes > 0, stop.signal)]);
    if (outcome === 'started') {
      await unlink(path).catch((e: unknown) => {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      });
    }
    return outcome;
  } finally {
    stop.abort();
    fifo.destroy();
  }
}

// watchInit settles 'dead' when init has exited without writing to the fifo, and throws once
// `timeoutMs` passed. An init seen gone once may still have written a byte the event loop has
// not delivered yet, so it takes two checks in a row; once a byte came, the end of file will too.
async function watchInit(
  o: FifoStartOptions,
  wrote: () => boolean,
  signal: AbortSignal,
): Promise<FifoStart> {
  const deadline = o.clock.now() + o.timeoutMs;
  let goneChecks = 0;
  for (;;) {
    try {
      await o.clock.sleep(LIVENESS_MS, signal);
    } catch {
      return new Promise<FifoStart>(() => undefined); // the read settled first
    }
    goneChecks = !wrote() && (await processGone(o.pid)) ? goneChecks + 1 : 0;
    if (goneChecks >= 2) return 'dead';
    if (o.clock.now() >= deadline) {
      throw new Error(`container ${o.id} did not start within ${o.timeoutMs} ms`);
    }
  }
}
