// One allocation cycle (Mesos `HierarchicalAllocatorProcess::__generateOffers`): a pure function
// of the model, the time, the config and a random source. It returns the offers it made and
// leaves them counted in the model as offered.
import type { AllocatorConfig } from './config.ts';
import type { OfferDecision } from './decisions.ts';
import type { AgentState } from './model/agent.ts';
import type { AllocatorModel } from './model/model.ts';
import type { Random } from './random.ts';
import { shuffle } from './random.ts';
import { CycleContext } from './stages/context.ts';
import { allocateFairShare } from './stages/fair-share.ts';
import { allocateGuarantees } from './stages/guarantees.ts';
import { QuotaCycle } from './stages/quota-cycle.ts';

/** CycleInput is everything a cycle depends on besides the model. */
export interface CycleInput {
  readonly now: number;
  readonly config: AllocatorConfig;
  readonly random: Random;
  /**
   * candidates limits the run to some agents (an agent was added or changed); undefined runs a
   * full cycle over every agent. Only full cycles age decline filters (see isFilterActive).
   */
  readonly candidates?: ReadonlySet<string> | undefined;
}

/** CycleResult is the offers made and a few counters for logs. */
export interface CycleResult {
  readonly decisions: readonly OfferDecision[];
  /** agents is how many agents were eligible. */
  readonly agents: number;
  /** requiredHeadroom and availableHeadroom are as computed before stage 1 (for logs). */
  readonly requiredHeadroom: string;
  readonly availableHeadroom: string;
}

/**
 * holdsUnknown: an answered offer on the agent holds resources the agent no longer has. Its
 * answer converted them (a RESERVE, CREATE...) in a way this model did not see happen (a new
 * leader adopted the offer after the records had changed the agent), so what is free there is
 * unknown until the offer is gone and its resources are given back; offering from the agent
 * meanwhile could offer twice what the answer's tasks hold.
 */
function holdsUnknown(model: AllocatorModel, agent: AgentState): boolean {
  for (const id of agent.offers) {
    const o = model.offers.get(id);
    if (o?.answered === true && !agent.total.contains(o.resources)) return true;
  }
  return false;
}

/** runCycle runs one allocation cycle. */
export function runCycle(model: AllocatorModel, input: CycleInput): CycleResult {
  // 1. Snapshot the eligible agents (known, active, not holdsUnknown) and shuffle them, so no
  //    agent is always first; the seeded random keeps tests reproducible.
  const agents: AgentState[] = [];
  if (input.candidates === undefined) {
    for (const agent of model.agents.values())
      if (agent.active && !holdsUnknown(model, agent)) agents.push(agent);
  } else {
    for (const id of input.candidates) {
      const agent = model.agents.get(id);
      if (agent?.active === true && !holdsUnknown(model, agent)) agents.push(agent);
    }
  }
  shuffle(agents, input.random);
  // 2. Quota consumption and headroom, once for the whole run.
  const quota = QuotaCycle.start(model);
  const required = quota.requiredHeadroom.toString();
  const available = quota.availableHeadroom.toString();
  const ctx = new CycleContext({ ...input, model, quota });
  // 3. Stage 1: unmet quota guarantees, while any role with frameworks still has some.
  for (const agent of agents) {
    if (!quota.anyUnsatisfied()) break;
    allocateGuarantees(ctx, agent);
  }
  // 4. Stage 2: weighted DRF over every role, with the agents re-shuffled to spread out what
  //    stage 1 took from the front of the list.
  shuffle(agents, input.random);
  for (const agent of agents) allocateFairShare(ctx, agent);
  // 5. Emit one decision per new offer; a full run also ages decline filters.
  if (input.candidates === undefined) model.cyclesCompleted++;
  const decisions = ctx.made.map((o): OfferDecision => ({
    offerId: o.id,
    framework: o.framework,
    role: o.role,
    agent: o.agent,
    resources: o.resources,
    expiresAt: o.expiresAt,
  }));
  return {
    decisions,
    agents: agents.length,
    requiredHeadroom: required,
    availableHeadroom: available,
  };
}
