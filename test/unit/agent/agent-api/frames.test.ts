import { expect } from 'chai';
import {
  encodeFrame,
  FrameDecoder,
  frameJson,
  MAX_FRAME_BYTES,
} from '../../../../agent/agent-api/frames.ts';
import { isLoopback } from '../../../../agent/agent-api/server.ts';

describe('agent API frames', () => {
  it('decodes frames split anywhere across chunks', () => {
    const bytes = Buffer.concat([
      encodeFrame('start', { command: ['ls'] }),
      encodeFrame('stdout', Buffer.from('hello')),
      encodeFrame('stdinEnd'),
      encodeFrame('exit', { exitCode: 3 }),
    ]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const d = new FrameDecoder();
      const frames = [...d.push(bytes.subarray(0, cut)), ...d.push(bytes.subarray(cut))];
      expect(frames.map(f => f.type)).to.deep.equal(['start', 'stdout', 'stdinEnd', 'exit']);
      expect(frameJson(frames[0]!)).to.deep.equal({ command: ['ls'] });
      expect(frames[1]!.payload.toString()).to.equal('hello');
      expect(frames[2]!.payload.length).to.equal(0);
    }
  });

  it('refuses an unknown type and an oversized frame', () => {
    expect(() => new FrameDecoder().push(Buffer.from([99, 0, 0, 0, 0]))).to.throw(
      /unknown frame type/,
    );
    const head = Buffer.alloc(5);
    head.writeUInt8(3, 0);
    head.writeUInt32BE(MAX_FRAME_BYTES + 1, 1);
    expect(() => new FrameDecoder().push(head)).to.throw(/too large/);
  });

  it('accepts only loopback listen addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopback)).to.equal(true);
    expect(['0.0.0.0', '192.0.2.2', '::', 'example.com'].some(isLoopback)).to.equal(false);
  });
});
