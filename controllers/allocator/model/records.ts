// What is offered and what is used: the two kinds of holdings the allocator accounts for.
import type { Resources } from '../../../core/resources/index.ts';

/** OfferRecord is one outstanding offer: one framework, one role, one agent. */
export interface OfferRecord {
  readonly id: string;
  readonly framework: string;
  readonly role: string;
  readonly agent: string;
  /** resources still offered (tasks launched from the offer have taken theirs out). */
  resources: Resources;
  readonly createdAt: number;
  /** expiresAt is when the offer is rescinded if unanswered; undefined: never. */
  readonly expiresAt: number | undefined;
  /** answered: the framework has replied, so a timeout no longer rescinds it. */
  answered: boolean;
  /**
   * settling: the offer was accepted and deleted; its resources stay held until `until` so the
   * tasks it launched (whose watch events may arrive later than the deletion) can claim them.
   * The rest then returns under a filter of `filterMs`.
   */
  settling: { readonly until: number; readonly filterMs: number | undefined } | undefined;
}

/** OfferInit adopts an offer the model did not make (a new leader's rebuild). */
export interface OfferInit {
  readonly id: string;
  readonly framework: string;
  readonly role: string;
  readonly agent: string;
  readonly resources: Resources;
  readonly createdAt: number;
  readonly expiresAt?: number;
  readonly answered?: boolean;
}

/** UsageInit is resources used by a task (Mesos: allocated, as opposed to offered). */
export interface UsageInit {
  /** id identifies the task, e.g. `namespace/name`. */
  readonly id: string;
  readonly framework: string;
  readonly role: string;
  readonly agent: string;
  readonly resources: Resources;
  /** offer is the offer it was launched from, whose resources it takes over. */
  readonly offer?: string;
}

/** UsageRecord is a tracked usage. */
export interface UsageRecord {
  readonly id: string;
  readonly framework: string;
  readonly role: string;
  readonly agent: string;
  readonly resources: Resources;
}

/** RecoverOptions say how an offer's resources come back. */
export interface RecoverOptions {
  readonly now: number;
  /** filterMs installs a decline filter for that long; undefined: no filter. */
  readonly filterMs?: number | undefined;
  /** holdUntil keeps the resources held for launches still in flight (an accepted offer). */
  readonly holdUntil?: number | undefined;
}
