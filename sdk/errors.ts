// The errors the SDK adds to core/client's ClientError: an answer that came too late, and a run
// of the framework that another run replaced.
import type { Offer } from '../core/types/index.ts';

/** OfferRescindedReason says how the offer was lost: deleted (NotFound) or changed (Conflict). */
export type OfferRescindedReason = 'NotFound' | 'Conflict';

/**
 * OfferRescinded is thrown by accept and decline when the offer is gone (the allocator rescinded
 * it) or no longer at the answered resourceVersion. Nothing was written; do not retry the same
 * answer, wait for the next offers instead.
 */
export class OfferRescinded extends Error {
  override readonly name = 'OfferRescinded';
  /** offer is the offer's name. */
  readonly offer: string;
  readonly reason: OfferRescindedReason;

  constructor(offer: Offer, reason: OfferRescindedReason, cause?: unknown) {
    const name = offer.metadata.name ?? '';
    const why = reason === 'NotFound' ? 'was rescinded' : 'changed since it was read';
    super(`offer ${name} ${why}`, cause === undefined ? undefined : { cause });
    this.offer = name;
    this.reason = reason;
  }
}

/** isOfferRescinded is true for an OfferRescinded. */
export function isOfferRescinded(e: unknown): e is OfferRescinded {
  return e instanceof OfferRescinded;
}

/**
 * FrameworkFailedOver is reported (onError) when another run of the framework took its Lease over
 * (Mesos: "Framework failed over"): this driver stops, leaving Active and the offers to that run.
 */
export class FrameworkFailedOver extends Error {
  override readonly name = 'FrameworkFailedOver';

  constructor(namespace: string, framework: string) {
    super(`framework ${namespace}/${framework} failed over to another run; this one stops`);
  }
}
