// The resource operations of an ACCEPT (Mesos Master::accept and Master::_accept): each is
// validated against what the operations before it left, then applied speculatively to the
// remaining offer (RESERVE, UNRESERVE, CREATE, DESTROY) or set apart (GROW/SHRINK_VOLUME, whose
// results later operations cannot use; CREATE/DESTROY_DISK, which stay held until they finish).
import type { Resource } from '../../../core/resources/index.ts';
import { Resources, isPersistentVolume } from '../../../core/resources/index.ts';
import type { OfferOperation, OperationType } from '../../../core/types/index.ts';
import type { Site } from '../../../core/validation/causes.ts';
import { checkOperationRules } from '../../../core/validation/operation-rules.ts';
import { assertNever } from '../../../core/util/assert-never.ts';
import type { Checked } from './conversions.ts';
import * as conv from './conversions.ts';
import type { Step } from './feedback.ts';
import { feedbackError, settle } from './feedback.ts';
import type { Payload } from './payload.ts';
import { readPayload } from './payload.ts';
import { validateReserve, validateUnreserve } from './reserve-rules.ts';
import { validateCreate, validateDestroy, validateGrow, validateShrink } from './volume-rules.ts';
import type { WalkContext, WalkState } from './walk-state.ts';

// speculate applies conversions to the remaining offer; undefined on success, else why not.
function speculate(state: WalkState, conversions: readonly Checked[]): string | undefined {
  const applied = conv.applyConversions(state.remaining, conversions);
  if (!applied.ok) return applied.message;
  state.remaining = applied.value;
  state.conversions.push(
    ...conversions.map(c => ({ consumed: c.consumed, converted: c.converted })),
  );
  return undefined;
}

function checkpointed(state: WalkState): Resources {
  return Resources.from(state.book.volumes().map(v => v.resource));
}

// setApart takes GROW/SHRINK's consumed resources out, keeping the result out of later reach.
function setApart(state: WalkState, type: string, c: Checked): string | undefined {
  if (!state.remaining.contains(c.consumed)) {
    return `Invalid ${type} operation: ${state.remaining.toString()} does not contain ${c.consumed.toString()}`;
  }
  state.remaining = state.remaining.subtract(c.consumed);
  state.resized = state.resized.add(c.converted);
  state.conversions.push({ consumed: c.consumed, converted: c.converted });
  return undefined;
}

function volumeOf(rs: Resources): Resource | undefined {
  return rs.toArray().find(isPersistentVolume);
}

// run validates and applies one parsed operation; it returns why it was dropped, if it was.
function run(ctx: WalkContext, state: WalkState, step: Step, p: Payload): string | undefined {
  const { index, op } = step;
  const onAgent = (bad: string | undefined) =>
    bad === undefined ? undefined : `${bad}; on agent ${ctx.agent.name}`;
  switch (p.type) {
    case 'RESERVE': {
      const bad =
        onAgent(validateReserve(p.resources, ctx.rules)) ??
        speculate(state, [conv.reserveConversion(p.resources)]);
      if (bad === undefined) state.book.reserve(index, p.resources);
      return bad;
    }
    case 'UNRESERVE': {
      const bad =
        onAgent(validateUnreserve(p.resources)) ??
        speculate(state, conv.unreserveConversions(p.resources));
      if (bad === undefined) state.book.unreserve(p.resources);
      return bad;
    }
    case 'CREATE': {
      const bad =
        onAgent(validateCreate(p.volumes, ctx.rules, checkpointed(state))) ??
        speculate(state, conv.createConversions(p.volumes));
      if (bad !== undefined) return bad;
      state.remainingShared = state.remaining.shared();
      for (const v of p.volumes) state.book.createVolume(index, v);
      return undefined;
    }
    case 'DESTROY': {
      const invalid = onAgent(validateDestroy(p.volumes, checkpointed(state), state.users));
      if (invalid !== undefined) return invalid;
      // Mesos rescinds every other offer that holds a destroyed volume, even if the destroy
      // then fails on this offer's resources.
      state.rescind = state.rescind.add(p.volumes);
      const bad = speculate(state, conv.destroyConversions(p.volumes));
      if (bad !== undefined) return bad;
      state.remainingShared = state.remaining.shared();
      for (const v of p.volumes) state.book.replaceVolume(v, undefined);
      return undefined;
    }
    case 'GROW_VOLUME': {
      const bad = onAgent(validateGrow(p.volume, p.addition, ctx.rules));
      if (bad !== undefined) return bad;
      const c = conv.growConversion(p.volume, p.addition);
      const apart = setApart(state, p.type, c);
      if (apart === undefined) state.book.replaceVolume(p.volume, volumeOf(c.converted));
      return apart;
    }
    case 'SHRINK_VOLUME': {
      const bad = onAgent(validateShrink(p.volume, p.subtract, ctx.rules));
      if (bad !== undefined) return bad;
      const c = conv.shrinkConversion(p.volume, p.subtract);
      const apart = setApart(state, p.type, c);
      if (apart === undefined) state.book.replaceVolume(p.volume, volumeOf(c.converted));
      return apart;
    }
    case 'CREATE_DISK':
    case 'DESTROY_DISK':
      return disk(ctx, state, p, op);
    default:
      return assertNever(p, 'operation payload');
  }
}

// disk runs CREATE_DISK and DESTROY_DISK, which are not speculative: the source stays held (used)
// until the resource provider reports a terminal state.
function disk(
  ctx: WalkContext,
  state: WalkState,
  p: Extract<Payload, { source: Resource }>,
  op: OfferOperation,
): string | undefined {
  const { type, source } = p;
  if (!ctx.agent.capabilities.includes('RESOURCE_PROVIDER')) {
    return `Not supported on agent ${ctx.agent.name} because it does not have RESOURCE_PROVIDER capability`;
  }
  const invalid = ruleError(op, type);
  if (invalid !== undefined) return `${invalid}; on agent ${ctx.agent.name}`;
  const consumed = Resources.of(source);
  if (!state.remaining.contains(consumed)) {
    return `Invalid ${type} Operation: ${state.remaining.toString()} does not contain ${consumed.toString()}`;
  }
  state.remaining = state.remaining.subtract(consumed);
  state.used = state.used.add(consumed);
  return undefined;
}

// ruleError is core/validation's verdict on the payload, for the checks parsing does not make.
function ruleError(op: OfferOperation, type: OperationType): string | undefined {
  const site: Site = { out: [], field: '' };
  checkOperationRules(site, type, op);
  const [cause] = site.out;
  return cause === undefined ? undefined : `${cause.field ?? ''}: ${cause.message}`;
}

/**
 * resourceOperation runs one non-launch operation of the answer. An operation that fails is
 * dropped with OPERATION_ERROR (a record only if it has an id) and the rest of the answer goes
 * on; one that passes is applied and starts OPERATION_PENDING.
 */
export function resourceOperation(
  ctx: WalkContext,
  state: WalkState,
  op: OfferOperation,
  index: number,
): void {
  const step: Step = { op, index, type: op.type as OperationType };
  const parsed = readPayload(step.type, op, ctx.offer.spec.role);
  const why = parsed.ok
    ? (feedbackError(ctx, state, op, parsed.value) ?? run(ctx, state, step, parsed.value))
    : parsed.message;
  settle(ctx, state, step, why);
}
