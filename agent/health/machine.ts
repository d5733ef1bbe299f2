// Mesos's health check semantics as a pure state machine (mesos-features §5.6; Mesos
// HealthCheckerProcess): checks start `delay` after the task started and run `interval` apart; a
// check slower than `timeout` failed; failures are ignored while the task has never been healthy
// and is inside its grace period (counted from the start, so it includes the delay); the first
// success, and the first success after failures, report healthy; every counted failure reports
// unhealthy; `consecutiveFailures` failures in a row kill the task.
import type { HealthCheck } from '../../core/types/task-template.ts';

/** HealthSettings are a HealthCheck's timings in milliseconds, Mesos defaults filled in. */
export interface HealthSettings {
  readonly delayMs: number;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly consecutiveFailures: number;
  readonly gracePeriodMs: number;
}

/** HEALTH_DEFAULTS are Mesos's HealthCheck defaults (seconds; failures as a count). */
export const HEALTH_DEFAULTS = {
  delaySeconds: 15,
  intervalSeconds: 10,
  timeoutSeconds: 20,
  consecutiveFailures: 3,
  gracePeriodSeconds: 10,
} as const;

const ms = (seconds: number): number => Math.round(seconds * 1000);

/** healthSettings reads a HealthCheck's timings, with Mesos's defaults for the missing ones. */
export function healthSettings(hc: HealthCheck): HealthSettings {
  return {
    delayMs: ms(hc.delaySeconds ?? HEALTH_DEFAULTS.delaySeconds),
    intervalMs: ms(hc.intervalSeconds ?? HEALTH_DEFAULTS.intervalSeconds),
    timeoutMs: ms(hc.timeoutSeconds ?? HEALTH_DEFAULTS.timeoutSeconds),
    consecutiveFailures: Math.max(1, hc.consecutiveFailures ?? HEALTH_DEFAULTS.consecutiveFailures),
    gracePeriodMs: ms(hc.gracePeriodSeconds ?? HEALTH_DEFAULTS.gracePeriodSeconds),
  };
}

/** HealthState is what the checker remembers between checks. */
export interface HealthState {
  readonly startedAt: number;
  /** initializing: no check has succeeded yet (Mesos `initializing`). */
  readonly initializing: boolean;
  readonly consecutiveFailures: number;
}

/** HealthVerdict is the state after one check and what to do about it. */
export interface HealthVerdict {
  readonly state: HealthState;
  /** report is the `healthy` value to send now, if any. */
  readonly report?: boolean;
  /** kill is true once the failures in a row reached the limit. */
  readonly kill: boolean;
  /** why explains the verdict for logs and the status message. */
  readonly why: string;
}

/** initialHealth is the state of a task started at `startedAt` (ms on the agent's clock). */
export function initialHealth(startedAt: number): HealthState {
  return { startedAt, initializing: true, consecutiveFailures: 0 };
}

/** CheckResult is one check's outcome (`ok` false also for a timeout) and when it was taken. */
export interface CheckResult {
  readonly ok: boolean;
  readonly at: number;
}

/** healthStep folds one check result into the state. */
export function healthStep(
  settings: HealthSettings,
  state: HealthState,
  result: CheckResult,
): HealthVerdict {
  const { ok, at: now } = result;
  if (ok) {
    const report = state.initializing || state.consecutiveFailures > 0 ? true : undefined;
    return {
      state: { ...state, initializing: false, consecutiveFailures: 0 },
      ...(report === undefined ? {} : { report }),
      kill: false,
      why: 'health check passed',
    };
  }
  if (state.initializing && now - state.startedAt <= settings.gracePeriodMs) {
    return { state, kill: false, why: 'health check failed inside the grace period (ignored)' };
  }
  const failures = state.consecutiveFailures + 1;
  const kill = failures >= settings.consecutiveFailures;
  return {
    state: { ...state, consecutiveFailures: failures },
    report: false,
    kill,
    why: `health check failed ${failures} time(s) in a row (limit ${settings.consecutiveFailures})`,
  };
}
