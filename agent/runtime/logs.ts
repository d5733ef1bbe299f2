// Reads conmon's k8s-file log (the CRI format): one record per line,
// `<RFC3339Nano time> <stdout|stderr> <F|P> <text>`, where P marks a piece of a longer line that
// continues in the next record of the same stream (conmon adds the newline itself).
import { createReadStream } from 'node:fs';
import type { LogStream } from './types.ts';

/** LogRecord is one parsed record. */
export interface LogRecord {
  readonly time: string;
  readonly stream: 'stdout' | 'stderr';
  readonly partial: boolean;
  readonly text: string;
}

const RECORD = /^(\S+) (stdout|stderr) ([FP]) (.*)$/s;

/** parseLogRecord parses one line of the log, or returns undefined for a malformed one. */
export function parseLogRecord(line: string): LogRecord | undefined {
  const m = RECORD.exec(line);
  if (m === null) return undefined;
  const [, time = '', stream, tag, text = ''] = m;
  return { time, stream: stream === 'stderr' ? 'stderr' : 'stdout', partial: tag === 'P', text };
}

/**
 * LineAssembler joins partial records back into the lines the container wrote and keeps only
 * the last `tail` complete lines of the chosen stream(s).
 */
export class LineAssembler {
  readonly #stream: LogStream;
  readonly #tail: number;
  readonly #lines: string[] = [];
  readonly #pending = new Map<'stdout' | 'stderr', string>();

  constructor(stream: LogStream, tail = Infinity) {
    this.#stream = stream;
    this.#tail = tail;
  }

  /** add takes one record. */
  add(r: LogRecord): void {
    if (this.#stream !== 'all' && r.stream !== this.#stream) return;
    const text = (this.#pending.get(r.stream) ?? '') + r.text;
    if (r.partial) {
      this.#pending.set(r.stream, text);
      return;
    }
    this.#pending.delete(r.stream);
    this.#push(`${text}\n`);
  }

  #push(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length > this.#tail) this.#lines.shift();
  }

  /** text is the kept lines, plus any partial line still open at the end of the log. */
  text(): string {
    const open = [...this.#pending.values()];
    const all = [...this.#lines, ...open];
    return all.slice(Math.max(0, all.length - this.#tail)).join('');
  }
}

/** readLogFile reads a k8s-file log; a log not written yet reads as empty. */
export async function readLogFile(path: string, stream: LogStream, tail?: number): Promise<string> {
  const asm = new LineAssembler(stream, tail ?? Infinity);
  // split on \n only, as conmon does: a \r inside a record is the container's own text
  let rest = '';
  const take = (line: string): void => {
    const r = parseLogRecord(line);
    if (r !== undefined) asm.add(r);
  };
  try {
    for await (const chunk of createReadStream(path, { encoding: 'utf8' })) {
      const parts = (rest + String(chunk)).split('\n');
      rest = parts.pop() ?? '';
      parts.forEach(take);
    }
    if (rest !== '') take(rest);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  return asm.text();
}
