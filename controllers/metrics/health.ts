// The two probes' answers, read from the Manager (and the process's stop signal).
import { assertNever } from '../../core/util/assert-never.ts';
import type { ManagerStatus } from '../runtime/manager.ts';
import type { Check, HealthSource } from './server.ts';

/** ManagerView is what the probes read of the Manager. */
export interface ManagerView {
  status(): ManagerStatus;
  unsynced(): readonly string[];
}

/**
 * managerHealth answers the probes of a controllers process:
 * - /healthz is ok from the start (also while the lease namespace is still being created: a
 *   restart would not help an unreachable API server) until the process is asked to stop or a
 *   component fails, then 500 so the kubelet restarts a process that is winding down for good;
 * - /readyz is ok once the manager runs and every shared informer has synced. Leadership does
 *   not count: a standby with warm caches is ready to take over, and `corral_leader` says which
 *   replica leads.
 */
export function managerHealth(m: ManagerView, stop: AbortSignal): HealthSource {
  const health = (): Check => {
    const s = m.status();
    switch (s.phase) {
      case 'failed':
        return { ok: false, reason: `failed: ${s.component}: ${s.error.message}` };
      case 'stopping':
      case 'stopped':
        return { ok: false, reason: 'stopping' };
      case 'idle':
      case 'running':
        return stop.aborted ? { ok: false, reason: 'stopping' } : { ok: true };
      default:
        return assertNever(s, 'manager status');
    }
  };
  return {
    health,
    readiness: () => {
      const h = health();
      if (!h.ok) return h;
      if (m.status().phase !== 'running') return { ok: false, reason: 'starting' };
      const unsynced = m.unsynced();
      return unsynced.length === 0
        ? { ok: true }
        : { ok: false, reason: `informers not synced: ${unsynced.join(', ')}` };
    },
  };
}
