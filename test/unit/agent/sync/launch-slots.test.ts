import { expect } from 'chai';
import { LaunchSlots } from '../../../../agent/sync/launch-slots.ts';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>(r => (resolve = r));
  return { promise, resolve };
}

const tick = (): Promise<void> => new Promise(r => setImmediate(r));

describe('launch slots', () => {
  it('runs at most `limit` at once and the rest in arrival order', async () => {
    const slots = new LaunchSlots(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      slots.run(async () => {
        started.push(i);
        await g.promise;
        return i;
      }),
    );
    await tick();
    expect(started).to.deep.equal([0, 1]);
    gates[1]?.resolve();
    await tick();
    expect(started).to.deep.equal([0, 1, 2]);
    gates[0]?.resolve();
    gates[2]?.resolve();
    gates[3]?.resolve();
    expect(await Promise.all(runs)).to.deep.equal([0, 1, 2, 3]);
    expect(started).to.deep.equal([0, 1, 2, 3]);
  });

  it('frees the slot of a call that throws', async () => {
    const slots = new LaunchSlots(1);
    const failed = slots.run(() => Promise.reject(new Error('boom')));
    const next = slots.run(() => Promise.resolve('ran'));
    expect(await failed.catch((e: unknown) => String(e))).to.contain('boom');
    expect(await next).to.equal('ran');
  });

  it('drops a waiter whose signal aborts, without running it', async () => {
    const slots = new LaunchSlots(1);
    const gate = deferred();
    const first = slots.run(() => gate.promise);
    const ac = new AbortController();
    let ran = false;
    const waiting = slots.run(() => Promise.resolve(void (ran = true)), ac.signal);
    ac.abort(new Error('stopping'));
    expect(await waiting.catch((e: unknown) => String(e))).to.contain('stopping');
    const third = slots.run(() => Promise.resolve('third'));
    gate.resolve();
    await first;
    expect(await third).to.equal('third');
    expect(ran).to.equal(false);
  });

  it('is quiet once nothing runs or waits', async () => {
    const slots = new LaunchSlots(1);
    await slots.quiet(); // nothing ran yet: at once
    const gates = [deferred(), deferred()];
    const runs = gates.map(g => slots.run(() => g.promise));
    let quiet = false;
    const q = slots.quiet().then(() => (quiet = true));
    gates[0]?.resolve();
    await tick();
    expect(slots.busy).to.equal(true);
    expect(quiet).to.equal(false);
    gates[1]?.resolve();
    await Promise.all([...runs, q]);
    expect(quiet).to.equal(true);
    expect(slots.busy).to.equal(false);
  });

  it('refuses a limit below 1', () => {
    expect(() => new LaunchSlots(0)).to.throw(RangeError);
  });
});
