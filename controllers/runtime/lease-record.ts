// What a leader writes into its Lease, following client-go's leaderelection (LeaderElectionRecord
// ↔ LeaseSpec): pure functions of the old record, the candidate and the time.
import type { LeaseSpec } from '../../core/client/index.ts';
import { microTime } from '../../core/util/micro-time.ts';

/** holderOf is the current holder, '' when nobody holds the lease. */
export function holderOf(spec: LeaseSpec | undefined): string {
  return spec?.holderIdentity ?? '';
}

/**
 * renewedSpec is the record a candidate writes to take or keep the lease: a new holder gets a
 * fresh acquireTime and one more transition; the holder itself keeps both and moves renewTime.
 */
export function renewedSpec(
  old: LeaseSpec | undefined,
  identity: string,
  nowMs: number,
  durationSeconds: number,
): LeaseSpec {
  const now = microTime(nowMs);
  const keeps = holderOf(old) === identity;
  const transitions = old?.leaseTransitions ?? 0;
  return {
    holderIdentity: identity,
    leaseDurationSeconds: durationSeconds,
    acquireTime: keeps ? (old?.acquireTime ?? now) : now,
    renewTime: now,
    // the first holder of a new lease is not a transition
    leaseTransitions: keeps || old === undefined ? transitions : transitions + 1,
  };
}

/**
 * releasedSpec is what a stopping leader writes: no holder and a 1 s duration (client-go's
 * release), so the next candidate takes over at its next retry instead of after expiry.
 */
export function releasedSpec(old: LeaseSpec | undefined, nowMs: number): LeaseSpec {
  const now = microTime(nowMs);
  return {
    holderIdentity: '',
    leaseDurationSeconds: 1,
    acquireTime: now,
    renewTime: now,
    leaseTransitions: old?.leaseTransitions ?? 0,
  };
}
