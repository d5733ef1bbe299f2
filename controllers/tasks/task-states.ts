// Which task states the controllers may still change (mesos-features §5.1). A TASK_LOST the
// controllers wrote for an unreachable agent is not final: Mesos (since 1.5, MESOS-7215) keeps
// such tasks running and re-sends their states when the agent comes back, and the agent here does
// the same. A TASK_LOST for an agent marked gone is final.
import type { Framework, TaskReason, TaskState } from '../../core/types/index.ts';
import { assertNever } from '../../core/util/assert-never.ts';

// One definition of final and provisional states for every side (core/framework/holding.ts).
export { isFinalTaskStatus, isProvisionalLost } from '../../core/framework/index.ts';

/** isPartitionAware reads the framework's PARTITION_AWARE capability (absent: not aware). */
export function isPartitionAware(framework: Framework | undefined): boolean {
  return framework?.spec.capabilities?.includes('PARTITION_AWARE') ?? false;
}

/** LossKind is why the controllers take a task's state out of the agent's hands. */
export type LossKind = 'unreachable' | 'gone';

/**
 * lossState is the state a task gets when its agent is lost: partition-aware frameworks see
 * TASK_UNREACHABLE or TASK_GONE_BY_OPERATOR, the others TASK_LOST (Mesos `_markUnreachable`,
 * `markGone`).
 */
export function lossState(
  kind: LossKind,
  partitionAware: boolean,
): {
  readonly state: TaskState;
  readonly reason: TaskReason;
} {
  switch (kind) {
    case 'unreachable':
      return {
        state: partitionAware ? 'TASK_UNREACHABLE' : 'TASK_LOST',
        reason: 'REASON_AGENT_REMOVED',
      };
    case 'gone':
      return {
        state: partitionAware ? 'TASK_GONE_BY_OPERATOR' : 'TASK_LOST',
        reason: 'REASON_AGENT_REMOVED_BY_OPERATOR',
      };
    default:
      return assertNever(kind, 'loss kind');
  }
}
