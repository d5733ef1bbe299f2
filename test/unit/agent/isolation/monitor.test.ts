import { expect } from 'chai';
import type { CheckFn, ContainerLimitation } from '../../../../agent/isolation/monitor.ts';
import { PollingMonitor } from '../../../../agent/isolation/monitor.ts';
import { FakeClock } from '../../../helpers/fake-clock.ts';

const limit = (containerId: string): ContainerLimitation => ({
  containerId,
  reason: 'REASON_CONTAINER_LIMITATION',
  message: 'over',
  resources: {},
});

/** harness builds a monitor whose check answers from a table the test edits. */
function harness(check?: CheckFn<string>) {
  const clock = new FakeClock();
  const over = new Set<string>();
  const reported: string[] = [];
  const errors: string[] = [];
  const checked: string[] = [];
  const mon = new PollingMonitor<string>({
    clock,
    intervalMs: 100,
    onLimitation: l => reported.push(l.containerId),
    onError: (id, e) => errors.push(`${id}: ${(e as Error).message}`),
    check:
      check ??
      ((id, target) => {
        checked.push(`${id}:${target}`);
        return Promise.resolve(over.has(id) ? limit(id) : undefined);
      }),
  });
  return { clock, over, reported, errors, checked, mon };
}

describe('PollingMonitor', () => {
  it('checks each watched container once per interval, starting after the first interval', async () => {
    const h = harness();
    h.mon.watch('a', 't1');
    h.mon.watch('b', 't2');
    const stop = new AbortController();
    const run = h.mon.run(stop.signal);
    await h.clock.advance(99);
    expect(h.checked).to.deep.equal([]);
    await h.clock.advance(1);
    expect(h.checked).to.deep.equal(['a:t1', 'b:t2']);
    await h.clock.advance(100);
    expect(h.checked).to.have.length(4);
    stop.abort();
    await run;
  });

  it('reports a limitation once and stops watching that container', async () => {
    const h = harness();
    h.mon.watch('a', 't');
    h.mon.watch('b', 't');
    h.over.add('a');
    expect((await h.mon.checkNow()).map(l => l.containerId)).to.deep.equal(['a']);
    await h.mon.checkNow();
    expect(h.reported).to.deep.equal(['a']);
    expect(h.mon.watching()).to.deep.equal(['b']);
  });

  it('discards the result for a container unwatched or re-targeted while it was checked', async () => {
    let release: () => void = () => undefined;
    const h = harness(
      id =>
        new Promise(resolve => {
          release = () => resolve(limit(id));
        }),
    );
    h.mon.watch('a', 't1');
    const pass = h.mon.checkNow();
    h.mon.watch('a', 't2');
    release();
    expect(await pass).to.deep.equal([]);
    expect(h.reported).to.deep.equal([]);
  });

  it('reports a failed check to onError and keeps going', async () => {
    const h = harness((id, target) =>
      id === 'bad'
        ? Promise.reject(new Error('du died'))
        : Promise.resolve(target === 'x' ? limit(id) : undefined),
    );
    h.mon.watch('bad', 'y');
    h.mon.watch('good', 'x');
    await h.mon.checkNow();
    expect(h.errors).to.deep.equal(['bad: du died']);
    expect(h.reported).to.deep.equal(['good']);
    expect(h.mon.watching()).to.deep.equal(['bad']);
  });

  it('run resolves when its signal aborts, even mid-sleep', async () => {
    const h = harness();
    const stop = new AbortController();
    const run = h.mon.run(stop.signal);
    await h.clock.waitForSleepers(1);
    stop.abort();
    await run;
    expect(h.clock.pending).to.equal(0);
  });

  it('refuses a non-positive interval', () => {
    expect(
      () =>
        new PollingMonitor({
          clock: new FakeClock(),
          intervalMs: 0,
          onLimitation: () => undefined,
          check: () => Promise.resolve(undefined),
        }),
    ).to.throw(RangeError);
  });
});
