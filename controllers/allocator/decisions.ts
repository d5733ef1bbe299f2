// What a cycle decides, handed to the publisher.
import type { Resources } from '../../core/resources/index.ts';

/**
 * OfferDecision is one new offer: resources of one agent for one role of one framework (Mesos:
 * one offer per agent and role). `resources` carry no allocation role; the publisher sets it.
 */
export interface OfferDecision {
  readonly offerId: string;
  readonly framework: string;
  readonly role: string;
  readonly agent: string;
  readonly resources: Resources;
  /** expiresAt is when an unanswered offer is rescinded (clock ms); undefined: never. */
  readonly expiresAt: number | undefined;
}

/**
 * RescindReason says why an offer is withdrawn. `agent-inactive`: its agent became unreachable,
 * not ready, cordoned or draining (Mesos rescinds a deactivated agent's offers).
 */
export type RescindReason =
  'timeout' | 'agent-removed' | 'agent-inactive' | 'framework-removed' | 'publish-failed';

/** RescindDecision withdraws an outstanding offer. */
export interface RescindDecision {
  readonly offerId: string;
  readonly framework: string;
  readonly agent: string;
  readonly reason: RescindReason;
}
