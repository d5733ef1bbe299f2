// Conditions (metav1.Condition) kept by type, the way Kubernetes' meta.SetStatusCondition keeps
// them: setting one replaces the entry of its type and keeps its lastTransitionTime unless the
// status changed, so a pass that changes nothing writes nothing.
import { isDeepStrictEqual } from 'node:util';
import type { Condition } from '../../core/types/index.ts';

/** ConditionInput is a condition without its transition time. */
export type ConditionInput = Omit<Condition, 'lastTransitionTime'>;

/** findCondition returns the condition of `type`, if any. */
export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find(c => c.type === type);
}

/** isConditionTrue is true when the condition of `type` has status True. */
export function isConditionTrue(
  conditions: readonly Condition[] | undefined,
  type: string,
): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

/**
 * setCondition returns `conditions` with `input` set and the other types untouched; the
 * transition time is `now` only when the status changes.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  input: ConditionInput,
  now: string,
): Condition[] {
  const old = findCondition(conditions, input.type);
  const next: Condition = {
    ...input,
    lastTransitionTime: old?.status === input.status ? old.lastTransitionTime : now,
  };
  const rest = (conditions ?? []).filter(c => c.type !== input.type);
  return [...rest, next];
}

/** removeCondition returns `conditions` without the condition of `type`. */
export function removeCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition[] {
  return (conditions ?? []).filter(c => c.type !== type);
}

/** sameConditions compares two condition lists regardless of order. */
export function sameConditions(
  a: readonly Condition[] | undefined,
  b: readonly Condition[] | undefined,
): boolean {
  const key = (l: readonly Condition[] | undefined) =>
    [...(l ?? [])].sort((x, y) => (x.type < y.type ? -1 : x.type > y.type ? 1 : 0));
  return isDeepStrictEqual(key(a), key(b));
}

/** isoTime renders a clock reading as an RFC 3339 timestamp. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
