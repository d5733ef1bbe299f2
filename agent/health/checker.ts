// Runs a task's health checks on the agent's clock: wait the delay, then check, fold the result
// into the state machine, report, wait the interval, until the task is killed or `signal` aborts.
// The probe itself (command, HTTP or TCP) is a parameter, so tests drive this with a fake clock.
import type { Clock } from '../../core/util/clock.ts';
import type { HealthSettings, HealthVerdict } from './machine.ts';
import { healthStep, initialHealth } from './machine.ts';

/** Probe runs one check; it resolves true when healthy and must give up when `signal` aborts. */
export type Probe = (signal: AbortSignal) => Promise<boolean>;

/** HealthCheckerOptions wire one task's checker. */
export interface HealthCheckerOptions {
  readonly settings: HealthSettings;
  readonly probe: Probe;
  readonly clock: Clock;
  /** startedAt is when the task started (ms); the delay and grace period count from it. */
  readonly startedAt: number;
  /** onVerdict hears every check whose verdict reports health or kills. */
  readonly onVerdict: (verdict: HealthVerdict) => void;
  readonly signal: AbortSignal;
}

// timed runs the probe with a deadline on the clock: a probe still running then has failed.
async function timed(o: HealthCheckerOptions): Promise<boolean> {
  const deadline = new AbortController();
  const stop = (): void => deadline.abort(o.signal.reason);
  o.signal.addEventListener('abort', stop, { once: true });
  const timeout = o.clock.sleep(o.settings.timeoutMs, deadline.signal).then(
    () => false,
    () => false,
  );
  try {
    return await Promise.race([o.probe(deadline.signal).catch(() => false), timeout]);
  } finally {
    o.signal.removeEventListener('abort', stop);
    deadline.abort();
  }
}

/**
 * runHealthChecks checks until a verdict kills the task (it then resolves) or `signal` aborts (it
 * resolves too). A probe that throws counts as a failed check.
 */
export async function runHealthChecks(o: HealthCheckerOptions): Promise<void> {
  let state = initialHealth(o.startedAt);
  try {
    const firstAt = o.startedAt + o.settings.delayMs;
    await o.clock.sleep(Math.max(0, firstAt - o.clock.now()), o.signal);
    for (;;) {
      const ok = await timed(o);
      if (o.signal.aborted) return;
      const verdict = healthStep(o.settings, state, { ok, at: o.clock.now() });
      state = verdict.state;
      if (verdict.report !== undefined || verdict.kill) o.onVerdict(verdict);
      if (verdict.kill) return;
      await o.clock.sleep(o.settings.intervalMs, o.signal);
    }
  } catch (e) {
    if (!o.signal.aborted) throw e;
  }
}
