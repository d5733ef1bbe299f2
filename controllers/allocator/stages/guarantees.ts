// Stage 1: give quota roles their unmet guarantees (Mesos `__generateOffers`, first loop).
import type { Resource } from '../../../core/resources/index.ts';
import { ResourceQuantities, isReserved } from '../../../core/resources/index.ts';
import type { AgentState } from '../model/agent.ts';
import type { FrameworkState } from '../model/framework.ts';
import type { QuotaSlot } from '../model/quota-slot.ts';
import type { CycleContext, StageOutcome } from './context.ts';
import { isQuotaScalar } from './context.ts';

/**
 * allocateGuarantees offers one agent to the roles whose guarantees are unmet, in role-sorter
 * order, and within each role to its frameworks in framework-sorter order. A role takes at most
 * its unmet guarantees from the agent's unreserved scalars ("chopping" the agent), plus its own
 * reservations, non-scalars and revocable resources, plus more unreserved scalars within its
 * limits and the headroom other roles' guarantees need ("bursting", MESOS-8352).
 */
export function allocateGuarantees(ctx: CycleContext, agent: AgentState): void {
  ctx.model.ledger.roleSorter.visit(entry => {
    const slot = entry.quota;
    // Only the quota role itself has guarantees; its sub-roles wait for stage 2 (as in Mesos).
    if (slot === undefined || slot.role !== entry.name || slot.guarantees.isEmpty()) return true;
    if (agent.available.isEmpty()) return false;
    if (slot.unsatisfied.isEmpty()) return true;
    entry.frameworks.visit(
      fw =>
        !slot.unsatisfied.isEmpty() &&
        offerGuarantee(ctx, { agent, role: entry.name, fw, slot }) === 'next',
    );
    return true;
  });
}

interface Candidate {
  readonly agent: AgentState;
  readonly role: string;
  readonly fw: FrameworkState;
  readonly slot: QuotaSlot;
}

function offerGuarantee(ctx: CycleContext, c: Candidate): StageOutcome {
  const { agent, role, fw, slot } = c;
  // 1. What the role may have here, and the cheap checks first.
  let available = ctx.availableFor(agent, role);
  if (available.isEmpty()) return 'break';
  if (!ctx.allocatable(available, role, fw) || !ctx.capable(fw, agent)) return 'next';
  available = ctx.strip(available, fw, agent);
  // 2. The part that makes progress towards the guarantees; without it, skip the agent (its
  //    reservations for the role wait for stage 2).
  const quotaResources = available.filter(isQuotaScalar);
  const guaranteed = quotaResources.shrink(slot.unsatisfied, { random: ctx.random });
  if (guaranteed.isEmpty()) return 'next';
  const guaranteedQ = guaranteed.toQuantities();
  // 3. Offered unconditionally beside it: the role's reservations, non-scalars, revocable.
  const always = (r: Resource): boolean =>
    isReserved(r, role) || r.value.type !== 'SCALAR' || r.revocable;
  let toOffer = guaranteed.add(available.filter(always));
  // 4. More unreserved scalars, within the limits and leaving the headroom others need.
  let extra = quotaResources.subtract(guaranteed);
  if (!slot.limits.isEmpty() && !extra.isEmpty()) {
    extra = extra.shrink(slot.room().subtractQuantities(guaranteedQ), { random: ctx.random });
  }
  if (ctx.quota.holdsBack() && !extra.isEmpty()) {
    extra = extra.shrink(ctx.quota.surplus(), { random: ctx.random });
  }
  toOffer = toOffer.add(extra);
  // 5. Final checks and commit.
  if (!ctx.allocatable(toOffer, role, fw) || ctx.filtered(fw, role, agent, toOffer)) return 'next';
  ctx.commit(agent, role, fw, toOffer);
  ctx.quota.charge(
    slot,
    guaranteedQ,
    extra.isEmpty() ? ResourceQuantities.EMPTY : extra.toQuantities(),
  );
  return 'next';
}
