// Recovery after an agent restart (mesos-features §5.5 "agent restart"): the runtime lists every
// container it finds on disk, each with its state (exits that happened while the agent was down
// are recorded by conmon and read now). A container whose Task still exists is adopted: the
// reconciler then reports it RUNNING, or its end. A Task container with no Task left is killed
// and destroyed. Standalone containers are the operator's and are left alone. Tasks that were
// running but have no container are found by the reconciler (TASK_LOST, REASON_AGENT_RESTARTED).
import type { Logger } from 'pino';
import type { ReadonlyCache } from '../../core/client/index.ts';
import type { Task } from '../../core/types/task.ts';
import type { ImageStore } from '../images/index.ts';
import type { ContainerRuntime } from '../runtime/types.ts';
import type { KillCauses } from './kill-causes.ts';
import type { LocalTasks } from './local-tasks.ts';
import { STANDALONE_ANNOTATION, TASK_UID_ANNOTATION, taskKey } from './names.ts';

/** RecoveryDeps are what recovery reads and changes. */
export interface RecoveryDeps {
  readonly runtime: ContainerRuntime;
  /** cache must be synced: a container is an orphan only if no listed Task owns it. */
  readonly cache: ReadonlyCache<Task>;
  readonly locals: LocalTasks;
  readonly images: Pick<ImageStore, 'releaseLease'>;
  readonly causes: KillCauses;
  readonly logger: Logger;
}

/** RecoveryReport says what recovery found. */
export interface RecoveryReport {
  readonly adopted: readonly string[];
  readonly removed: readonly string[];
}

/** recoverContainers adopts the containers of existing Tasks and removes the rest. */
export async function recoverContainers(d: RecoveryDeps): Promise<RecoveryReport> {
  const byUid = new Map(d.cache.list().map(t => [t.metadata.uid ?? '', t]));
  const adopted: string[] = [];
  const removed: string[] = [];
  for (const info of await d.runtime.recover()) {
    if (info.annotations[STANDALONE_ANNOTATION] !== undefined) continue;
    const uid = info.annotations[TASK_UID_ANNOTATION];
    const task = uid === undefined ? undefined : byUid.get(uid);
    if (uid === undefined || task === undefined) {
      await d.runtime.destroy(info.id);
      await d.images.releaseLease(info.id);
      await d.causes.clear(info.id);
      d.logger.info({ container: info.id, state: info.state.status }, 'orphan container removed');
      removed.push(info.id);
      continue;
    }
    const local = d.locals.ensure(taskKey(task), uid);
    local.hasContainer = true;
    if (info.state.status === 'running') {
      local.running = true;
      local.pid = info.state.pid;
    }
    const created = info.createdAt === undefined ? NaN : Date.parse(info.createdAt);
    if (!Number.isNaN(created)) local.since = created;
    d.logger.info(
      { task: local.key, container: info.id, state: info.state.status },
      'container recovered',
    );
    adopted.push(info.id);
  }
  return { adopted, removed };
}
