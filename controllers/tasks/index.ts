// controllers/tasks: Task states the agent cannot report (its agent unreachable, gone, or its Agent
// deleted), and the end of a framework's tasks once it is gone for longer than its failover timeout.
import { corralKinds } from '../../core/client/index.ts';
import type { Framework } from '../../core/types/index.ts';
import { findCondition } from '../agents/conditions.ts';
import { changedOnly } from '../agents/event-filter.ts';
import { healthKey } from '../agents/health.ts';
import { agentIndexes, requestsOf } from '../agents/indexes.ts';
import type { ControllerContext } from '../main.ts';
import type { Runnable } from '../runtime/index.ts';
import { Controller } from '../runtime/index.ts';
import { FrameworkMemory } from './framework-memory.ts';
import { TaskReconciler } from './task-reconciler.ts';

export { ORPHANED_AT_ANNOTATION, ORPHAN_TIMEOUT_ANNOTATION } from './framework-loss.ts';
export { FrameworkMemory } from './framework-memory.ts';
export { DEFAULT_MISSING_AGENT_GRACE_MS, MissingAgents } from './missing-agents.ts';
export { DEFAULT_STAND_IN_RETENTION_MS, isStandIn } from './stand-ins.ts';
export type { TaskApi, TaskControllerOptions } from './task-reconciler.ts';
export { TaskReconciler } from './task-reconciler.ts';
export {
  isFinalTaskStatus,
  isPartitionAware,
  isProvisionalLost,
  lossState,
} from './task-states.ts';

// frameworkKey changes when what the task controller reads of a Framework changes.
const frameworkKey = (f: Framework): string => {
  const active = findCondition(f.status?.conditions, 'Active');
  return `${active?.status ?? ''}@${active?.lastTransitionTime ?? ''}/${f.spec.failoverTimeoutSeconds ?? 0}`;
};

/** TaskControllerConfig tunes the task controller. */
export interface TaskControllerConfig {
  /** standInRetentionMs keeps a refused launch's stand-in Task this long; 15 min by default. */
  readonly standInRetentionMs?: number;
  /** missingAgentGraceMs waits this long before settling the Tasks of a deleted Agent; 30 s. */
  readonly missingAgentGraceMs?: number;
}

/** taskController builds the task controller from the controllers' context. */
export function taskController(
  config: TaskControllerConfig = {},
): (ctx: ControllerContext) => Runnable {
  if (config.standInRetentionMs !== undefined && !(config.standInRetentionMs >= 0))
    throw new RangeError('the stand-in retention must be >= 0');
  if (config.missingAgentGraceMs !== undefined && !(config.missingAgentGraceMs >= 0))
    throw new RangeError('the missing-agent grace must be >= 0');
  return ({ client, manager, clock, logger }) => {
    const tasks = manager.informer(corralKinds.tasks);
    const agents = manager.informer(corralKinds.agents);
    const frameworks = manager.informer(corralKinds.frameworks);
    const ix = agentIndexes(manager);
    const reconciler = new TaskReconciler({
      tasks: tasks.cache,
      agents: agents.cache,
      agentsSynced: () => agents.hasSynced(),
      frameworks: frameworks.cache,
      memory: new FrameworkMemory(frameworks),
      api: client.for(corralKinds.tasks),
      clock,
      logger,
      ...config,
    });
    const ofFramework = (f: Framework) =>
      tasks.cache
        .list(f.metadata.namespace ?? '')
        .filter(t => t.spec.framework === f.metadata.name)
        .map(t => ({ namespace: t.metadata.namespace ?? '', name: t.metadata.name ?? '' }));
    // An Agent's delete event passes the filter and wakes its Tasks (a deleted Agent's are settled).
    return new Controller({ name: 'tasks', reconciler, clock, logger, workers: 4 })
      .watch(tasks)
      .watch(changedOnly(agents, healthKey), a => requestsOf(ix.tasks.keys(a.metadata.name ?? '')))
      .watch(changedOnly(frameworks, frameworkKey), ofFramework);
  };
}
