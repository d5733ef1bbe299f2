// The agent API's stream framing for exec and attach, both directions of one HTTP/1.1 request:
// each frame is a type byte, a 4-byte big-endian length and the payload. Mesos streams RecordIO
// ProcessIO messages the same way; a length prefix keeps stdout, stderr and control messages
// apart without a WebSocket (and without a new dependency).

/** FRAME_TYPES lists the frames, in wire order (the index is the type byte). */
export const FRAME_TYPES = [
  /** client → agent, first: the JSON request (exec: the command). */
  'start',
  /** client → agent: bytes for the process's stdin. */
  'stdin',
  /** client → agent: end of stdin. */
  'stdinEnd',
  /** agent → client: process output. */
  'stdout',
  'stderr',
  /** agent → client, last: the JSON ExitInfo. */
  'exit',
  /** agent → client, last: the JSON `{ message }` of a failure. */
  'error',
] as const;

/** FrameType names a frame. */
export type FrameType = (typeof FRAME_TYPES)[number];

/** Frame is one decoded frame. */
export interface Frame {
  readonly type: FrameType;
  readonly payload: Buffer;
}

/** ExitInfo ends an exec or attach stream. */
export interface ExitInfo {
  readonly exitCode: number | null;
  readonly signal?: string;
}

/** MAX_FRAME_BYTES bounds one frame, so a bad peer cannot make the agent buffer without end. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

const HEADER = 5;

/** encodeFrame builds one frame; objects are sent as JSON. */
export function encodeFrame(type: FrameType, payload: Buffer | string | object = ''): Buffer {
  const body = Buffer.isBuffer(payload)
    ? payload
    : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const head = Buffer.alloc(HEADER);
  head.writeUInt8(FRAME_TYPES.indexOf(type), 0);
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

/** frameJson parses a frame's JSON payload. */
export function frameJson(frame: Frame): unknown {
  return JSON.parse(frame.payload.toString('utf8'));
}

/** FrameDecoder turns a byte stream back into frames, across chunk boundaries. */
export class FrameDecoder {
  #buf: Buffer = Buffer.alloc(0);

  /** push adds bytes and returns every frame now complete; throws on a malformed stream. */
  push(chunk: Buffer): Frame[] {
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    const out: Frame[] = [];
    while (this.#buf.length >= HEADER) {
      const code = this.#buf.readUInt8(0);
      const type = FRAME_TYPES[code];
      const len = this.#buf.readUInt32BE(1);
      if (type === undefined) throw new Error(`unknown frame type ${code}`);
      if (len > MAX_FRAME_BYTES) throw new Error(`frame of ${len} bytes is too large`);
      if (this.#buf.length < HEADER + len) break;
      out.push({ type, payload: this.#buf.subarray(HEADER, HEADER + len) });
      this.#buf = this.#buf.subarray(HEADER + len);
    }
    return out;
  }
}
