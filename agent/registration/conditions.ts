// Conditions (metav1.Condition) kept by type: setting one replaces the entry of its type and keeps
// its lastTransitionTime unless the status changed, the way Kubernetes' meta.SetStatusCondition
// does, so a heartbeat that changes nothing does not look like a transition.
import type { Condition } from '../../core/types/meta.ts';

/** ConditionInput is a condition without its transition time. */
export type ConditionInput = Omit<Condition, 'lastTransitionTime'>;

/** setCondition returns `conditions` with `input` set, other types untouched. */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  input: ConditionInput,
  now: string,
): Condition[] {
  const old = (conditions ?? []).find(c => c.type === input.type);
  const next: Condition = {
    ...input,
    lastTransitionTime: old?.status === input.status ? old.lastTransitionTime : now,
  };
  const rest = (conditions ?? []).filter(c => c.type !== input.type);
  return [...rest, next];
}
