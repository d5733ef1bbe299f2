// The body of a watch answer from undici-transport.ts: undici hands a handler chunks as they
// arrive; this queues them for one reader as an async iterable, with the backpressure, failure
// and early release a node:http IncomingMessage gives its reader.
import type { Dispatcher } from 'undici';

// HIGH_WATER_BYTES of a watch answer nobody has read pause its connection (backpressure).
const HIGH_WATER_BYTES = 64 * 1024;

type BodyState =
  | { readonly kind: 'open' | 'ended' | 'released' }
  | { readonly kind: 'failed'; readonly error: Error };

const OPEN: BodyState = { kind: 'open' };
const ENDED: BodyState = { kind: 'ended' };
const RELEASED: BodyState = { kind: 'released' };

/**
 * StreamedBody hands a watch answer's chunks to its one reader, in order, pausing the connection
 * while more than HIGH_WATER_BYTES wait. Stopping the iteration early destroys the connection:
 * the rest of the answer was never read, so it cannot carry another request.
 */
export class StreamedBody implements AsyncIterableIterator<Uint8Array> {
  private readonly chunks: Buffer[] = [];
  private held = 0;
  private paused = false;
  private state: BodyState = OPEN;
  private waiting:
    { resolve(r: IteratorResult<Uint8Array>): void; reject(e: unknown): void } | undefined;
  private readonly controller: Dispatcher.DispatchController;

  constructor(controller: Dispatcher.DispatchController) {
    this.controller = controller;
  }

  /**
   * push queues a chunk undici received. A reader already waiting gets it a microtask later,
   * with every other chunk of the same socket read: undici hands over each HTTP chunk (one per
   * watch event) on its own, and a reader woken per event would lose the batching its informer
   * does per received chunk (a node:http stream's read hands out all that is buffered, too).
   */
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.held += chunk.length;
    if (this.waiting !== undefined) {
      if (this.chunks.length === 1) queueMicrotask(() => this.wake());
      return;
    }
    if (this.held >= HIGH_WATER_BYTES && !this.paused) {
      this.paused = true;
      this.controller.pause();
    }
  }

  private wake(): void {
    const w = this.waiting;
    if (w === undefined || this.chunks.length === 0) return;
    this.waiting = undefined;
    w.resolve({ value: this.take(), done: false });
  }

  // take empties the queue into one chunk and resumes a paused connection
  private take(): Buffer {
    const chunks = this.chunks;
    const chunk = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.held);
    chunks.length = 0;
    this.held = 0;
    if (this.paused && this.state.kind === 'open') {
      this.paused = false;
      this.controller.resume();
    }
    return chunk;
  }

  /** end: the answer is complete; the reader is done after the queued chunks. */
  end(): void {
    if (this.state.kind !== 'open') return;
    this.state = ENDED;
    if (this.chunks.length > 0) return; // a waiting reader gets them first (wake)
    const w = this.waiting;
    this.waiting = undefined;
    w?.resolve({ value: undefined, done: true });
  }

  /** fail ends the stream with `error`, after what was received unless `now` (an abort). */
  fail(error: unknown, now: boolean): void {
    if (this.state.kind !== 'open') return;
    // an abort reason need not be an Error, but it is what fetch rejects with, so it is passed on
    this.state = { kind: 'failed', error: error as Error };
    if (now) this.chunks.length = 0;
    else if (this.chunks.length > 0) return; // a waiting reader gets them first (wake)
    const w = this.waiting;
    this.waiting = undefined;
    w?.reject(error);
  }

  /** next hands out everything received so far as one chunk, or waits for the next. */
  next(): Promise<IteratorResult<Uint8Array>> {
    if (this.chunks.length > 0) return Promise.resolve({ value: this.take(), done: false });
    const state = this.state;
    switch (state.kind) {
      case 'open':
        return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
      case 'failed':
        return Promise.reject(state.error);
      case 'ended':
      case 'released':
        return Promise.resolve({ value: undefined, done: true });
    }
  }

  /** return: the reader stopped early; the unread rest of the answer costs the connection. */
  return(): Promise<IteratorResult<Uint8Array>> {
    if (this.state.kind === 'open') {
      this.state = RELEASED;
      this.chunks.length = 0;
      this.controller.abort(new Error('the watch was released before its answer ended'));
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** text reads the whole answer (a watch that failed before it started, say). */
  async text(): Promise<string> {
    const parts: Buffer[] = [];
    for await (const c of this) parts.push(c as Buffer);
    return Buffer.concat(parts).toString('utf8');
  }
}
