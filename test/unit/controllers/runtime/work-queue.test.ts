import { expect } from 'chai';
import { WorkQueue } from '../../../../controllers/runtime/work-queue.ts';
import { ExponentialRateLimiter } from '../../../../controllers/runtime/rate-limiter.ts';
import { FakeClock, settle } from '../../../helpers/fake-clock.ts';

describe('WorkQueue', () => {
  let clock: FakeClock;
  let q: WorkQueue;
  beforeEach(() => {
    clock = new FakeClock();
    q = new WorkQueue({
      clock,
      rateLimiter: new ExponentialRateLimiter({ baseMs: 10, maxMs: 80 }),
    });
  });
  afterEach(() => q.shutDown());

  it('hands keys out in first-added order and keeps one entry per key', async () => {
    for (const k of ['b', 'a', 'b', 'c', 'a']) q.add(k);
    expect(q.len()).to.equal(3);
    const got = [await q.get(), await q.get(), await q.get()];
    expect(got).to.deep.equal(['b', 'a', 'c']);
    expect(q.len()).to.equal(0);
  });

  it('does not hand a key that is processing to a second getter, and requeues it at done', async () => {
    q.add('k');
    const first = await q.get();
    q.add('k'); // changed while a worker holds it
    q.add('k');
    let second: string | undefined | null = null;
    void q.get().then(k => (second = k));
    await settle();
    expect(second, 'a second worker must not get k while it is processing').to.equal(null);
    q.done(first!);
    await settle();
    expect(second).to.equal('k');
  });

  it('forgets a processing key that was not re-added', async () => {
    q.add('k');
    q.done((await q.get())!);
    expect(q.len()).to.equal(0);
  });

  it('wakes a waiting getter when a key arrives', async () => {
    const pending = q.get();
    q.add('x');
    expect(await pending).to.equal('x');
  });

  it('adds after a delay on the clock, and the sooner of two delays wins', async () => {
    q.addAfter('d', 100);
    q.addAfter('d', 30);
    q.addAfter('d', 200);
    await clock.advance(29);
    expect(q.len()).to.equal(0);
    await clock.advance(1);
    expect(q.len()).to.equal(1);
    await q.get().then(k => q.done(k!));
    await clock.advance(500);
    expect(q.len(), 'the superseded delays do not add again').to.equal(0);
  });

  it('grows the rate-limited delay per key up to the cap and resets it on forget', () => {
    const delays = Array.from({ length: 6 }, () => q.addRateLimited('r'));
    expect(delays).to.deep.equal([10, 20, 40, 80, 80, 80]);
    expect(q.addRateLimited('other')).to.equal(10);
    q.forget('r');
    expect(q.failures('r')).to.equal(0);
    expect(q.addRateLimited('r')).to.equal(10);
  });

  it('answers every getter with undefined on shutdown and ignores later adds', async () => {
    const waiting = [q.get(), q.get()];
    q.shutDown();
    expect(await Promise.all(waiting)).to.deep.equal([undefined, undefined]);
    q.add('late');
    expect(await q.get()).to.equal(undefined);
    q.addAfter('late', 5);
    expect(clock.pending).to.equal(0);
  });
});
