import { expect } from 'chai';
import type { HealthVerdict } from '../../../../agent/health/machine.ts';
import { healthSettings, healthStep, initialHealth } from '../../../../agent/health/machine.ts';
import { runHealthChecks } from '../../../../agent/health/checker.ts';
import { FakeClock } from '../../../helpers/fake-clock.ts';

const S = healthSettings({
  type: 'TCP',
  tcp: { port: 1 },
  delaySeconds: 1,
  intervalSeconds: 1,
  timeoutSeconds: 0.5,
  consecutiveFailures: 3,
  gracePeriodSeconds: 5,
});

/** run folds results taken at the given times (ms after start) and returns each verdict. */
function run(results: readonly [number, boolean][]): HealthVerdict[] {
  let state = initialHealth(0);
  return results.map(([t, ok]) => {
    const v = healthStep(S, state, { ok, at: t });
    state = v.state;
    return v;
  });
}

describe('health check state machine (Mesos semantics)', () => {
  it('fills in Mesos defaults', () => {
    expect(healthSettings({ type: 'COMMAND' })).to.deep.equal({
      delayMs: 15_000,
      intervalMs: 10_000,
      timeoutMs: 20_000,
      consecutiveFailures: 3,
      gracePeriodMs: 10_000,
    });
  });

  it('reports the first success, and not the successes after it', () => {
    const v = run([
      [1000, true],
      [2000, true],
      [3000, true],
    ]);
    expect(v.map(x => x.report)).to.deep.equal([true, undefined, undefined]);
  });

  it('ignores failures inside the grace period while never healthy', () => {
    const v = run([
      [1000, false],
      [2000, false],
      [3000, false],
      [4000, false],
      [5000, false],
    ]);
    expect(v.every(x => x.report === undefined && !x.kill)).to.equal(true);
  });

  it('kills after consecutive failures once the grace period is over', () => {
    const v = run([
      [6000, false],
      [7000, false],
      [8000, false],
    ]);
    expect(v.map(x => x.report)).to.deep.equal([false, false, false]);
    expect(v.map(x => x.kill)).to.deep.equal([false, false, true]);
  });

  it('counts failures inside the grace period once the task was healthy', () => {
    const v = run([
      [1000, true],
      [2000, false],
      [3000, false],
      [4000, false],
    ]);
    expect(v.map(x => x.report)).to.deep.equal([true, false, false, false]);
    expect(v.at(-1)?.kill).to.equal(true);
  });

  it('reports healthy again on the first success after failures, and resets the count', () => {
    const v = run([
      [1000, true],
      [2000, false],
      [3000, false],
      [4000, true],
      [5000, false],
      [6000, false],
    ]);
    expect(v.map(x => x.report)).to.deep.equal([true, false, false, true, false, false]);
    expect(v.some(x => x.kill)).to.equal(false);
  });
});

describe('runHealthChecks (fake clock)', () => {
  it('waits the delay, checks every interval, times out a slow probe and stops after the kill', async () => {
    const clock = new FakeClock(0);
    const checkedAt: number[] = [];
    const verdicts: HealthVerdict[] = [];
    const stop = new AbortController();
    const done = runHealthChecks({
      settings: { ...S, gracePeriodMs: 0 },
      clock,
      startedAt: 0,
      signal: stop.signal,
      onVerdict: v => verdicts.push(v),
      // a probe that never answers: only the timeout ends it
      probe: signal =>
        new Promise(resolve => {
          checkedAt.push(clock.now());
          signal.addEventListener('abort', () => resolve(true));
        }),
    });
    await clock.advance(999);
    expect(checkedAt).to.deep.equal([]);
    await clock.advance(1);
    expect(checkedAt).to.deep.equal([1000]);
    await clock.advance(500); // timeout: failure 1
    expect(verdicts.map(v => v.report)).to.deep.equal([false]);
    await clock.advance(3000);
    await done;
    expect(checkedAt).to.deep.equal([1000, 2500, 4000]);
    expect(verdicts.map(v => v.kill)).to.deep.equal([false, false, true]);
    expect(clock.pending).to.equal(0);
  });

  it('stops quietly when the task goes away', async () => {
    const clock = new FakeClock(0);
    const stop = new AbortController();
    const verdicts: HealthVerdict[] = [];
    const done = runHealthChecks({
      settings: S,
      clock,
      startedAt: 0,
      signal: stop.signal,
      onVerdict: v => verdicts.push(v),
      probe: () => Promise.resolve(true),
    });
    await clock.advance(1000);
    expect(verdicts.map(v => v.report)).to.deep.equal([true]);
    stop.abort();
    await done;
    expect(clock.pending).to.equal(0);
  });
});
