import { expect } from 'chai';
import type { Dispatcher } from 'undici';
import { StreamedBody } from '../../../../core/client/undici-stream.ts';

// The controller undici gives a handler, reduced to what StreamedBody calls (a recording fake).
function fakeController(): { controller: Dispatcher.DispatchController; calls: string[] } {
  const calls: string[] = [];
  const controller = {
    pause: () => calls.push('pause'),
    resume: () => calls.push('resume'),
    abort: () => calls.push('abort'),
  } as unknown as Dispatcher.DispatchController;
  return { controller, calls };
}

const text = (r: IteratorResult<Uint8Array>): string =>
  r.done === true ? '<done>' : Buffer.from(r.value).toString('utf8');

describe('StreamedBody (a watch answer over undici)', () => {
  it('hands a waiting reader every chunk of one socket read as one chunk', async () => {
    const { controller } = fakeController();
    const body = new StreamedBody(controller);
    const next = body.next();
    // undici delivers each HTTP chunk (one watch event) by itself, all in one synchronous run
    body.push(Buffer.from('{"a":1}\n'));
    body.push(Buffer.from('{"b":2}\n'));
    body.push(Buffer.from('{"c":3}\n'));
    expect(text(await next)).to.equal('{"a":1}\n{"b":2}\n{"c":3}\n');
  });

  it('gives queued chunks to a reader before the end, also when the end came in the same run', async () => {
    const { controller } = fakeController();
    const body = new StreamedBody(controller);
    const next = body.next();
    body.push(Buffer.from('last\n'));
    body.end();
    expect(text(await next)).to.equal('last\n');
    expect(text(await body.next())).to.equal('<done>');
  });

  it('gives what was received before a failure, then the failure', async () => {
    const { controller } = fakeController();
    const body = new StreamedBody(controller);
    const next = body.next();
    body.push(Buffer.from('kept\n'));
    body.fail(new Error('socket closed'), false);
    expect(text(await next)).to.equal('kept\n');
    let failed: unknown;
    await body.next().catch((e: unknown) => (failed = e));
    expect((failed as Error).message).to.equal('socket closed');
  });

  it('pauses the connection past 64 KiB unread and resumes it once read', async () => {
    const { controller, calls } = fakeController();
    const body = new StreamedBody(controller);
    body.push(Buffer.alloc(40 * 1024, 'a'));
    body.push(Buffer.alloc(40 * 1024, 'b'));
    expect(calls).to.deep.equal(['pause']);
    const r = await body.next();
    expect(r.done).to.equal(false);
    expect((r.value as Uint8Array).length).to.equal(80 * 1024);
    expect(calls).to.deep.equal(['pause', 'resume']);
  });

  it('aborts the connection when the reader stops early', async () => {
    const { controller, calls } = fakeController();
    const body = new StreamedBody(controller);
    body.push(Buffer.from('x'));
    await body.return();
    expect(calls).to.deep.equal(['abort']);
    expect(text(await body.next())).to.equal('<done>');
  });
});
