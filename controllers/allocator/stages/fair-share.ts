// Stage 2: weighted DRF for every role (Mesos `__generateOffers`, second loop).
import { ResourceQuantities } from '../../../core/resources/index.ts';
import type { AgentState } from '../model/agent.ts';
import type { FrameworkState } from '../model/framework.ts';
import type { QuotaSlot } from '../model/quota-slot.ts';
import { onlyQuotaScalars } from '../model/resource-cache.ts';
import type { CycleContext, StageOutcome } from './context.ts';
import { isQuotaScalar, keepsAlways } from './context.ts';

/**
 * allocateFairShare offers what is left of one agent to roles in DRF order, and within a role to
 * frameworks in DRF order; each framework takes all it may before the next is looked at
 * (coarse-grained). Reservations, non-scalars and revocable resources are always offered;
 * unreserved scalars only within the role's quota limits (its top-level role's, for a
 * sub-role) and never from the headroom unmet guarantees need.
 */
export function allocateFairShare(ctx: CycleContext, agent: AgentState): void {
  // Nothing here but unreserved scalars, and no surplus headroom: no role may take any of it.
  if (ctx.quota.holdsBack() && ctx.quota.surplus().isEmpty() && onlyQuotaScalars(agent.available)) {
    return;
  }
  ctx.model.ledger.roleSorter.visit(entry => {
    if (agent.available.isEmpty()) return false;
    const slot = entry.quota;
    // The role's limits leave no room for the only kind of resource the agent has.
    if (slot?.exhausted === true && onlyQuotaScalars(agent.available)) return true;
    entry.frameworks.visit(
      fw => offerFairShare(ctx, { agent, role: entry.name, fw, slot }) === 'next',
    );
    return true;
  });
}

interface Candidate {
  readonly agent: AgentState;
  readonly role: string;
  readonly fw: FrameworkState;
  readonly slot: QuotaSlot | undefined;
}

function offerFairShare(ctx: CycleContext, c: Candidate): StageOutcome {
  const { agent, role, fw, slot } = c;
  // 1. What the role may have here, and the cheap checks first.
  let available = ctx.availableFor(agent, role);
  if (available.isEmpty()) return 'break';
  if (!ctx.allocatable(available, role, fw) || !ctx.capable(fw, agent)) return 'next';
  available = ctx.strip(available, fw, agent);
  // 2. Unreserved scalars within limits and headroom; without quota in play, all of it.
  const limited = slot !== undefined && !slot.limits.isEmpty();
  const holdsBack = ctx.quota.holdsBack();
  let toOffer = available;
  let charged = ResourceQuantities.EMPTY;
  if (limited || holdsBack) {
    let extra = available.filter(isQuotaScalar);
    if (slot !== undefined && limited && !extra.isEmpty())
      extra = extra.shrink(slot.room(), { random: ctx.random });
    if (holdsBack && !extra.isEmpty()) {
      extra = extra.shrink(ctx.quota.surplus(), { random: ctx.random });
    }
    toOffer = available.filter(keepsAlways).add(extra);
    charged = extra.toQuantities();
  } else if (slot !== undefined) {
    charged = available.filter(isQuotaScalar).toQuantities();
  }
  // 3. Final checks (allocatable again only if something was held back) and commit.
  const allocatable = toOffer === available || ctx.allocatable(toOffer, role, fw);
  if (!allocatable || ctx.filtered(fw, role, agent, toOffer)) return 'next';
  ctx.commit(agent, role, fw, toOffer);
  if (slot !== undefined || holdsBack) ctx.quota.charge(slot, ResourceQuantities.EMPTY, charged);
  return 'next';
}
