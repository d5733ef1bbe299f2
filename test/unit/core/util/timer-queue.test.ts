import { expect } from 'chai';
import { TimerQueue } from '../../../../core/util/timer-queue.ts';
import { Limiter } from '../../../../agent/hollow/limiter.ts';
import { FakeClock, settle } from '../../../helpers/fake-clock.ts';

describe('TimerQueue', () => {
  it('fires keys in deadline order on one timer, keeping the earliest deadline of a key', async () => {
    const clock = new FakeClock(0);
    const q = new TimerQueue(clock);
    const fired: string[] = [];
    const abort = new AbortController();
    const running = q.run(abort.signal, k => fired.push(`${k}@${clock.now()}`));
    q.at('b', 200);
    q.at('a', 100);
    q.at('c', 300);
    q.at('c', 50); // earlier wins
    q.at('a', 400); // later loses
    q.at('d', 250);
    q.cancel('d');
    await clock.waitForSleepers(1);
    expect(clock.pending).to.equal(1);
    await clock.advance(500);
    expect(fired).to.deep.equal(['c@50', 'a@100', 'b@200']);
    expect(q.size).to.equal(0);
    abort.abort();
    await running;
  });

  it('wakes early for a deadline set while it sleeps', async () => {
    const clock = new FakeClock(0);
    const q = new TimerQueue(clock);
    const fired: number[] = [];
    const abort = new AbortController();
    const running = q.run(abort.signal, () => fired.push(clock.now()));
    q.at('late', 10_000);
    await clock.waitForSleepers(1);
    q.at('soon', 10);
    await clock.advance(20);
    expect(fired).to.deep.equal([10]);
    abort.abort();
    await running;
  });

  it('honours deadlines set while it fires keys (a heartbeat rescheduling itself)', async () => {
    const clock = new FakeClock(0);
    const q = new TimerQueue(clock);
    const fired: string[] = [];
    const abort = new AbortController();
    const running = q.run(abort.signal, k => {
      fired.push(`${k}@${clock.now()}`);
      if (fired.length < 4) q.at(k, clock.now() + 100);
    });
    q.at('beat', 100);
    await clock.waitForSleepers(1);
    for (let i = 0; i < 5; i++) await clock.advance(100);
    expect(fired).to.deep.equal(['beat@100', 'beat@200', 'beat@300', 'beat@400']);
    abort.abort();
    await running;
  });
});

describe('Limiter', () => {
  it('runs at most `limit` calls at once, the rest in arrival order', async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const gates: (() => void)[] = [];
    const calls = [0, 1, 2, 3, 4].map(i =>
      limiter.run(async () => {
        running++;
        peak = Math.max(peak, running);
        order.push(i);
        await new Promise<void>(resolve => gates.push(resolve));
        running--;
      }),
    );
    for (let i = 0; i < 5; i++) {
      await settle();
      gates.shift()?.();
    }
    await Promise.all(calls);
    expect(peak).to.equal(2);
    expect(order).to.deep.equal([0, 1, 2, 3, 4]);
    expect(limiter.pending).to.equal(0);
  });
});
