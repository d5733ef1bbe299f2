// A Writable that keeps what is written to it, for checking what a CLI function printed.
import { Writable } from 'node:stream';

/** Collected is a sink and what reached it so far. */
export interface Collected {
  readonly stream: Writable;
  text(): string;
}

/** collector makes an empty sink. */
export function collector(): Collected {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { stream, text: () => text };
}
