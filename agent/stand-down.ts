// An agent an operator marked gone stands down (Mesos: the master shuts a removed agent down, and
// it kills its tasks): the Agent is gone for good, its Tasks are TASK_GONE_BY_OPERATOR, and
// nothing would ever clean up what keeps running here. So the agent kills every container it
// runs, writes nothing more about them, and stops. main.ts calls this before ending its loops.
import type { Logger } from 'pino';
import type { ImageStore } from './images/index.ts';
import type { ContainerRuntime } from './runtime/types.ts';
import { STANDALONE_ANNOTATION } from './sync/names.ts';

/** LeftoverDeps are what destroying leftover containers touches. */
export interface LeftoverDeps {
  readonly runtime: Pick<ContainerRuntime, 'list' | 'destroy'>;
  readonly images: Pick<ImageStore, 'releaseLease'>;
  readonly logger: Logger;
}

/**
 * destroyLeftovers destroys every container the runtime still has (KILL at once), keeping Task
 * sandboxes for their logs; used when registration finds the agent gone, and to finish a
 * stand-down. A container that cannot be destroyed is logged; the others still go.
 */
export async function destroyLeftovers(d: LeftoverDeps): Promise<string[]> {
  const destroyed: string[] = [];
  for (const c of await d.runtime.list()) {
    const standalone = c.annotations[STANDALONE_ANNOTATION] !== undefined;
    try {
      await d.runtime.destroy(c.id, { keepSandbox: !standalone });
      await d.images.releaseLease(c.id);
      destroyed.push(c.id);
    } catch (err) {
      d.logger.error({ container: c.id, err }, 'could not destroy a container of a gone agent');
    }
  }
  if (destroyed.length > 0) {
    d.logger.info({ containers: destroyed }, 'containers of a gone agent destroyed');
  }
  return destroyed;
}

/** StandDownDeps are the agent parts that hold containers. */
export interface StandDownDeps extends LeftoverDeps {
  /** tasks kills every Task container with its kill policy (TaskSync.standDown). */
  readonly tasks: { standDown(): Promise<void> };
  /** containers removes the operator's standalone containers. */
  readonly containers: { killAll(): Promise<string[]> };
}

/**
 * standDown kills everything this agent runs: (1) Task containers, each with its kill policy's
 * grace, through the Task sync (which writes no status from now on); (2) standalone containers;
 * (3) whatever is still left (a launch that raced the stand-down, a kill to be retried).
 */
export async function standDown(d: StandDownDeps): Promise<void> {
  d.logger.warn({}, 'agent marked gone by an operator: killing its containers and stopping');
  await d.tasks.standDown();
  await d.containers.killAll();
  await destroyLeftovers(d);
}
