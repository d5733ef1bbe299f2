import { expect } from 'chai';
import { pino } from 'pino';
import type { SyncResult } from '../../../../agent/sync/keyed-executor.ts';
import { KeyedExecutor } from '../../../../agent/sync/keyed-executor.ts';
import { FakeClock, settle } from '../../../helpers/fake-clock.ts';

/** gate is a promise the test opens by hand. */
function gate() {
  let open: () => void = () => undefined;
  const p = new Promise<void>(r => (open = r));
  return { p, open };
}

function harness(run: (key: string) => Promise<SyncResult>, concurrency = 8) {
  const clock = new FakeClock(0);
  const stop = new AbortController();
  const ex = new KeyedExecutor({
    clock,
    logger: pino({ level: 'silent' }),
    concurrency,
    run: k => run(k),
  });
  ex.start(stop.signal);
  return { clock, stop, ex };
}

describe('KeyedExecutor (per-Task serial sync)', () => {
  it('never runs one key twice at once, and runs it once more for events during a run', async () => {
    const g = gate();
    const runs: string[] = [];
    let active = 0;
    let maxActive = 0;
    const { ex } = harness(async k => {
      runs.push(k);
      active++;
      maxActive = Math.max(maxActive, active);
      if (runs.length === 1) await g.p;
      active--;
      return {};
    });
    ex.enqueue('a');
    await settle();
    ex.enqueue('a');
    ex.enqueue('a');
    ex.enqueue('a');
    g.open();
    await ex.idle();
    expect(runs).to.deep.equal(['a', 'a']);
    expect(maxActive).to.equal(1);
  });

  it('runs different keys in parallel up to the cap', async () => {
    const g = gate();
    let active = 0;
    let maxActive = 0;
    const { ex } = harness(async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await g.p;
      active--;
      return {};
    }, 2);
    for (const k of ['a', 'b', 'c', 'd']) ex.enqueue(k);
    await settle();
    expect(maxActive).to.equal(2);
    g.open();
    await ex.idle();
    expect(maxActive).to.equal(2);
  });

  it('retries a failed key with backoff on the clock', async () => {
    let calls = 0;
    const { ex, clock } = harness(() => {
      calls++;
      return calls < 3 ? Promise.reject(new Error('boom')) : Promise.resolve({});
    });
    ex.enqueue('a');
    await settle();
    expect(calls).to.equal(1);
    await clock.advance(250); // first backoff ≤ 200 ms × 1.2
    expect(calls).to.equal(2);
    await clock.advance(500);
    expect(calls).to.equal(3);
    await clock.advance(10_000);
    expect(calls).to.equal(3);
  });

  it('runs a key again after the delay it asks for', async () => {
    let calls = 0;
    const { ex, clock } = harness(() => {
      calls++;
      return Promise.resolve(calls === 1 ? { requeueAfterMs: 1000 } : {});
    });
    ex.enqueue('a');
    await settle();
    await clock.advance(999);
    expect(calls).to.equal(1);
    await clock.advance(1);
    expect(calls).to.equal(2);
  });
});

describe('KeyedExecutor stop', () => {
  it('starts nothing after stop, and idle() waits only for the runs still going', async () => {
    const g = gate();
    const runs: string[] = [];
    const { ex, stop } = harness(async k => {
      runs.push(k);
      await g.p;
      return {};
    }, 1);
    ex.enqueue('a');
    ex.enqueue('b');
    await settle();
    stop.abort();
    let idle = false;
    const waiting = ex.idle().then(() => (idle = true));
    await settle();
    expect(idle).to.equal(false);
    g.open();
    await waiting;
    expect(runs).to.deep.equal(['a']);
  });
});
