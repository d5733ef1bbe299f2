// Decline filters (Mesos `RefusedOfferFilter`), kept per framework as role → agent → filters.
import type { Resources } from '../../../core/resources/index.ts';

/**
 * OfferFilter refuses, for one framework, role and agent, any offer that the refused resources
 * still contain (Mesos: `refused.contains(candidate)`), so once more becomes free on the agent
 * than was declined, the framework is offered again. Regular and revocable resources are checked
 * together, as in Mesos.
 */
export interface OfferFilter {
  readonly refused: Resources;
  /** expiresAt is when it stops applying (clock milliseconds). */
  readonly expiresAt: number;
  /** cycleMark is the number of full cycles completed when it was made. */
  readonly cycleMark: number;
}

/**
 * isFilterActive: a filter applies until it expires and, whatever its expiry, through at least
 * one full allocation cycle after it was made, so a refuse time shorter than the allocation
 * interval still keeps the resources away from the next batch (MESOS-4302).
 */
export function isFilterActive(f: OfferFilter, now: number, cyclesCompleted: number): boolean {
  return now < f.expiresAt || cyclesCompleted <= f.cycleMark;
}

/** OfferFilters holds one framework's filters. */
export class OfferFilters {
  readonly #byRole = new Map<string, Map<string, OfferFilter[]>>();

  /** add installs a filter. */
  add(role: string, agent: string, filter: OfferFilter): void {
    let agents = this.#byRole.get(role);
    if (agents === undefined) this.#byRole.set(role, (agents = new Map<string, OfferFilter[]>()));
    const list = agents.get(agent);
    if (list === undefined) agents.set(agent, [filter]);
    else list.push(filter);
  }

  /**
   * isFiltered reports that an active filter refuses `candidate`; expired filters met on the way
   * are dropped.
   */
  isFiltered(role: string, agent: string, candidate: Resources, clock: FilterClock): boolean {
    const agents = this.#byRole.get(role);
    const list = agents?.get(agent);
    if (agents === undefined || list === undefined) return false;
    let filtered = false;
    for (let i = list.length - 1; i >= 0; i--) {
      const f = list[i] as OfferFilter;
      if (!isFilterActive(f, clock.now, clock.cyclesCompleted)) list.splice(i, 1);
      else if (!filtered && f.refused.contains(candidate)) filtered = true;
    }
    if (list.length === 0) agents.delete(agent);
    return filtered;
  }

  /** clearRole drops the filters of one role (REVIVE, or leaving the role). */
  clearRole(role: string): void {
    this.#byRole.delete(role);
  }

  /** clearAgent drops every filter for one agent (removed, or its attributes changed). */
  clearAgent(agent: string): void {
    for (const agents of this.#byRole.values()) agents.delete(agent);
  }

  /** clear drops every filter (deactivation). */
  clear(): void {
    this.#byRole.clear();
  }

  /** count is the number of filters held, active or not yet swept, per role. */
  count(role: string): number {
    let n = 0;
    for (const list of this.#byRole.get(role)?.values() ?? []) n += list.length;
    return n;
  }
}

/** FilterClock is the time and cycle count filters are judged against. */
export interface FilterClock {
  readonly now: number;
  readonly cyclesCompleted: number;
}
