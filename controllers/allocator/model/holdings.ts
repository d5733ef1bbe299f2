// Offers and task usage: how resources leave an agent's available pool and come back (Mesos
// `recoverResources`, `transitionOfferedToAllocated`, and the `used` of `addSlave`).
import type { Resources } from '../../../core/resources/index.ts';
import type { AgentState } from './agent.ts';
import type { FrameworkState } from './framework.ts';
import type { Ledger } from './ledger.ts';
import type { OfferInit, OfferRecord, RecoverOptions, UsageInit, UsageRecord } from './records.ts';

/** HoldingsHost is the part of the model offers and usages change. */
export interface HoldingsHost {
  readonly agents: ReadonlyMap<string, AgentState>;
  readonly offers: Map<string, OfferRecord>;
  readonly usages: Map<string, UsageRecord>;
  /** settling are the accepted offers held for their launches (see recoverOffer). */
  readonly settling: Set<OfferRecord>;
  readonly ledger: Ledger;
  readonly cyclesCompleted: number;
  /** framework returns a framework, creating an inactive placeholder for an unknown id. */
  framework(id: string): FrameworkState;
  /** forget drops a removed framework once nothing of it is tracked. */
  forget(fw: FrameworkState): void;
}

/** OfferGrant is a fresh offer's resources committed by the cycle. */
export interface OfferGrant {
  readonly id: string;
  readonly agent: AgentState;
  readonly fw: FrameworkState;
  readonly role: string;
  readonly resources: Resources;
  readonly now: number;
  readonly expiresAt: number | undefined;
  /** fromAvailable: the resources are part of the agent's available pool (the cycle's offers). */
  readonly fromAvailable?: boolean;
}

/**
 * grantOffer takes resources from the agent and counts them as offered. A second grant with the
 * same id (stage 2 adding to a stage-1 offer of the same framework, role and agent) joins it.
 */
export function grantOffer(host: HoldingsHost, g: OfferGrant): OfferRecord {
  const existing = host.offers.get(g.id);
  g.agent.take(g.resources, g.fromAvailable === true);
  const holding = {
    agent: g.agent,
    fw: g.fw,
    role: g.role,
    resources: g.resources,
    kind: 'offer',
  } as const;
  host.ledger.track(holding, existing !== undefined);
  if (existing !== undefined) {
    existing.resources = existing.resources.add(g.resources);
    return existing;
  }
  const record: OfferRecord = {
    id: g.id,
    framework: g.fw.id,
    role: g.role,
    agent: g.agent.id,
    resources: g.resources,
    createdAt: g.now,
    expiresAt: g.expiresAt,
    answered: false,
    settling: undefined,
  };
  host.offers.set(g.id, record);
  g.agent.offers.add(g.id);
  return record;
}

/**
 * adoptOffer counts an offer found in the API (a new leader's rebuild): its resources are taken
 * even if they are not available, because whoever made it may have made it from a state this
 * model has not seen; over-counting only ever withholds resources, never double-offers them.
 */
export function adoptOffer(host: HoldingsHost, init: OfferInit): boolean {
  const agent = host.agents.get(init.agent);
  if (agent === undefined || host.offers.has(init.id)) return false;
  const record = grantOffer(host, {
    id: init.id,
    agent,
    fw: host.framework(init.framework),
    role: init.role,
    resources: init.resources,
    now: init.createdAt,
    expiresAt: init.expiresAt,
  });
  record.answered = init.answered ?? false;
  return true;
}

/**
 * recoverOffer returns an offer's resources (declined, rescinded, timed out, or the leftovers of
 * an accept), installing a decline filter when asked. With `holdUntil`, the resources stay held
 * until then for the tasks the accept launched (see `settleOffers`).
 */
export function recoverOffer(
  host: HoldingsHost,
  id: string,
  opts: RecoverOptions,
): OfferRecord | undefined {
  const record = host.offers.get(id);
  if (record === undefined) return undefined;
  if (opts.holdUntil !== undefined && opts.holdUntil > opts.now && record.settling === undefined) {
    record.settling = { until: opts.holdUntil, filterMs: opts.filterMs };
    record.answered = true;
    host.settling.add(record);
    return record;
  }
  dropOffer(host, record);
  const fw = host.framework(record.framework);
  if (opts.filterMs !== undefined && opts.filterMs > 0 && !record.resources.isEmpty()) {
    fw.filters.add(record.role, record.agent, {
      refused: record.resources,
      expiresAt: opts.now + opts.filterMs,
      cycleMark: host.cyclesCompleted,
    });
  }
  host.forget(fw);
  return record;
}

/** dropOffer forgets an offer and gives its resources back without any filter. */
export function dropOffer(host: HoldingsHost, record: OfferRecord): void {
  host.offers.delete(record.id);
  host.settling.delete(record);
  const agent = host.agents.get(record.agent);
  if (agent === undefined) return;
  agent.offers.delete(record.id);
  agent.give(record.resources);
  const fw = host.framework(record.framework);
  host.ledger.untrack({ agent, fw, role: record.role, resources: record.resources, kind: 'offer' });
}

/**
 * settleOffers returns what accepted offers still hold once their launch window has passed, and
 * lists the offers it returned.
 */
export function settleOffers(host: HoldingsHost, now: number): OfferRecord[] {
  const due = [...host.settling].filter(r => r.settling !== undefined && r.settling.until <= now);
  for (const record of due) {
    const filterMs = record.settling?.filterMs;
    record.settling = undefined;
    host.settling.delete(record);
    recoverOffer(host, record.id, { now, filterMs });
  }
  return due;
}

/**
 * launch counts a task's resources as used. Launched from an outstanding (or settling) offer
 * that holds them, they move from offered to used; otherwise they come out of the agent's
 * available pool. A task on an unknown agent is ignored (the caller replays it when the agent
 * arrives); a repeated id is ignored.
 */
export function launch(host: HoldingsHost, init: UsageInit): boolean {
  const agent = host.agents.get(init.agent);
  if (agent === undefined || host.usages.has(init.id)) return false;
  const fw = host.framework(init.framework);
  const offer = init.offer === undefined ? undefined : host.offers.get(init.offer);
  const record: UsageRecord = { ...init };
  if (
    offer !== undefined &&
    offer.agent === init.agent &&
    offer.role === init.role &&
    offer.framework === init.framework &&
    offer.resources.contains(init.resources)
  ) {
    offer.resources = offer.resources.subtract(init.resources);
    host.ledger.launchFromOffer(fw, init.role, init.resources);
    if (offer.settling !== undefined && offer.resources.isEmpty()) dropOffer(host, offer);
  } else {
    agent.take(init.resources);
    host.ledger.track({ agent, fw, role: init.role, resources: init.resources, kind: 'used' });
  }
  host.usages.set(init.id, record);
  agent.usages.add(init.id);
  return true;
}

/** release returns a finished (or deleted) task's resources. */
export function release(host: HoldingsHost, id: string): boolean {
  const record = host.usages.get(id);
  if (record === undefined) return false;
  host.usages.delete(id);
  const agent = host.agents.get(record.agent);
  const fw = host.framework(record.framework);
  if (agent !== undefined) {
    agent.usages.delete(id);
    agent.give(record.resources);
    host.ledger.untrack({
      agent,
      fw,
      role: record.role,
      resources: record.resources,
      kind: 'used',
    });
  }
  host.forget(fw);
  return true;
}
