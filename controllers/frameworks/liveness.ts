// Judging a framework's liveness from its Lease (core/framework liveness.ts), apart from any I/O.
import type { Lease } from '../../core/client/index.ts';
import type { Condition } from '../../core/types/index.ts';

/**
 * Verdict is what the Lease says of a framework: `unwatched` without a Lease (a framework that
 * does not use the SDK keeps its Active condition itself), `alive` until `staleAt`, or `stale`
 * since its last sign of life.
 */
export type Verdict =
  | { readonly kind: 'unwatched' }
  | { readonly kind: 'alive'; readonly staleAt: number; readonly renewed: number | undefined }
  | { readonly kind: 'stale'; readonly lastSign: number | undefined };

/** LivenessInput is the Lease, the Active condition, the time and the timeout. */
export interface LivenessInput {
  readonly lease: Lease | undefined;
  readonly active: Condition | undefined;
  readonly now: number;
  readonly timeoutMs: number;
}

function time(text: string | undefined): number | undefined {
  const t = Date.parse(text ?? '');
  return Number.isNaN(t) ? undefined : t;
}

/** renewedAt is the Lease's last renewal (its acquisition, or its creation, failing that). */
export function renewedAt(lease: Lease): number | undefined {
  const s = lease.spec;
  return time(s?.renewTime) ?? time(s?.acquireTime) ?? time(lease.metadata.creationTimestamp);
}

/**
 * judgeLiveness: the framework's last sign of life is the Lease's last renewal, or the moment it
 * became Active if later (a framework that just connected gets a whole timeout, whatever an
 * older Lease says); it is stale once `timeoutMs` passed since.
 */
export function judgeLiveness(i: LivenessInput): Verdict {
  if (i.lease === undefined) return { kind: 'unwatched' };
  const renewed = renewedAt(i.lease);
  const activated = i.active?.status === 'True' ? time(i.active.lastTransitionTime) : undefined;
  const signs = [renewed, activated].filter((t): t is number => t !== undefined);
  const lastSign = signs.length === 0 ? undefined : Math.max(...signs);
  if (lastSign === undefined || i.now >= lastSign + i.timeoutMs) return { kind: 'stale', lastSign };
  return { kind: 'alive', staleAt: lastSign + i.timeoutMs, renewed };
}
