// A scenario harness for allocator tests, shaped after Mesos's hierarchical allocator tests:
// add agents and frameworks, run a cycle (all agents, or the ones an event names), decline.
import { expect } from 'chai';
import type { Resources } from '../../../../core/resources/index.ts';
import {
  parseLimitsText,
  parseQuantitiesText,
  parseResourceText,
} from '../../../../core/resources/index.ts';
import type { AgentCapability, FrameworkCapability } from '../../../../core/types/index.ts';
import type { AllocatorConfig, ConfigInput } from '../../../../controllers/allocator/config.ts';
import { filterDurationMs, makeConfig } from '../../../../controllers/allocator/config.ts';
import { runCycle } from '../../../../controllers/allocator/cycle.ts';
import type { OfferDecision } from '../../../../controllers/allocator/decisions.ts';
import { AllocatorModel } from '../../../../controllers/allocator/model/model.ts';
import type { Random } from '../../../../controllers/allocator/random.ts';
import { seededRandom } from '../../../../controllers/allocator/random.ts';

/** res parses Mesos's text form: `cpus:1;mem(role):2;ports:[1-3]`. */
export const res = (text: string): Resources => parseResourceText(text);

/** AGENT_CAPS is what Mesos's tests give agents (AGENT_CAPABILITIES()). */
export const AGENT_CAPS: readonly AgentCapability[] = [
  'MULTI_ROLE',
  'HIERARCHICAL_ROLE',
  'RESERVATION_REFINEMENT',
];

/** AgentOptions tweak an agent. */
export interface AgentOptions {
  readonly caps?: readonly AgentCapability[];
  readonly active?: boolean;
  readonly region?: string;
  readonly attributes?: Record<string, string>;
}

/** FrameworkOptions tweak a framework. */
export interface FrameworkOptions {
  readonly caps?: readonly FrameworkCapability[];
  readonly suppressed?: readonly string[];
  /** min maps a role to its min allocatable sets, each in `cpus:1;mem:2` form. */
  readonly min?: Readonly<Record<string, readonly string[]>>;
  readonly active?: boolean;
}

/** Offered is a decision in a comparable form. */
export interface Offered {
  readonly framework: string;
  readonly role: string;
  readonly agent: string;
  readonly resources: string;
}

/** Scenario is a model, a config, a seeded random and a hand-driven clock. */
export class Scenario {
  readonly model: AllocatorModel;
  readonly config: AllocatorConfig;
  readonly random: Random;
  now = 1_000_000;
  last: readonly OfferDecision[] = [];

  constructor(config: ConfigInput = {}, seed = 7) {
    this.config = makeConfig(config);
    this.random = seededRandom(seed);
    this.model = new AllocatorModel({
      excludedResourceNames: this.config.fairnessExcludedResourceNames,
    });
  }

  /** agent adds (or updates) an agent with the given total. */
  agent(id: string, total: string | Resources, o: AgentOptions = {}): this {
    this.model.upsertAgent({
      id,
      total: typeof total === 'string' ? res(total) : total,
      capabilities: o.caps ?? AGENT_CAPS,
      ...(o.active === undefined ? {} : { active: o.active }),
      ...(o.region === undefined ? {} : { region: o.region }),
      ...(o.attributes === undefined ? {} : { attributes: o.attributes }),
    });
    return this;
  }

  /** framework adds (or updates) a framework; MULTI_ROLE by default, as Mesos's tests do. */
  framework(id: string, roles: readonly string[], o: FrameworkOptions = {}): this {
    const min = new Map(
      Object.entries(o.min ?? {}).map(([role, sets]) => [
        role,
        sets.map(s => parseQuantitiesText(s)),
      ]),
    );
    this.model.upsertFramework({
      id,
      roles,
      capabilities: o.caps ?? ['MULTI_ROLE'],
      suppressedRoles: o.suppressed ?? [],
      minAllocatable: min,
      ...(o.active === undefined ? {} : { active: o.active }),
    });
    return this;
  }

  /** quota sets guarantees and limits (Mesos createQuota: limits default to the guarantees). */
  quota(role: string, guarantees: string, limits: string = guarantees): this {
    this.model.setQuota(role, {
      guarantees: parseQuantitiesText(guarantees),
      limits: parseLimitsText(limits),
    });
    return this;
  }

  /** use records resources a task uses (Mesos addSlave's `used`): `on` is `framework/role@agent`. */
  use(id: string, on: string, resources: string): this {
    const at = on.lastIndexOf('@');
    const slash = on.indexOf('/');
    this.model.launch({
      id,
      framework: on.slice(0, slash),
      role: on.slice(slash + 1, at),
      agent: on.slice(at + 1),
      resources: res(resources),
    });
    return this;
  }

  /** cycle runs one allocation cycle, over every agent or just the ones named. */
  cycle(agents?: readonly string[]): Offered[] {
    const candidates = agents === undefined ? undefined : new Set(agents);
    this.last = runCycle(this.model, {
      now: this.now,
      config: this.config,
      random: this.random,
      candidates,
    }).decisions;
    return this.last.map(d => ({
      framework: d.framework,
      role: d.role,
      agent: d.agent,
      resources: d.resources.toString(),
    }));
  }

  /** decline returns an offer with a filter of `refuseSeconds` (the default when omitted). */
  decline(offer: OfferDecision | undefined, refuseSeconds?: number): this {
    if (offer === undefined) throw new Error('no offer to decline');
    this.model.recoverOffer(offer.offerId, {
      now: this.now,
      filterMs: filterDurationMs(this.config, refuseSeconds),
    });
    return this;
  }

  /** recover returns an offer with no filter (rescind, timeout). */
  recover(offer: OfferDecision | undefined): this {
    if (offer === undefined) throw new Error('no offer to recover');
    this.model.recoverOffer(offer.offerId, { now: this.now });
    return this;
  }

  /** offerTo finds this cycle's offer to a framework (on an agent, if named). */
  offerTo(framework: string, agent?: string): OfferDecision | undefined {
    return this.last.find(
      d => d.framework === framework && (agent === undefined || d.agent === agent),
    );
  }

  /** advance moves the clock. */
  advance(ms: number): this {
    this.now += ms;
    return this;
  }
}

/** offer builds an expected Offered with the resources in canonical form. */
export function offer(framework: string, role: string, agent: string, resources: string): Offered {
  return { framework, role, agent, resources: res(resources).toString() };
}

/** expectOffers asserts exactly these offers were made, in any order. */
export function expectOffers(got: readonly Offered[], want: readonly Offered[]): void {
  const key = (o: Offered) => `${o.framework}|${o.role}|${o.agent}|${o.resources}`;
  expect(got.map(key).sort()).to.deep.equal(want.map(key).sort());
}
