// Collecting the Tasks that only stood in for a refused launch. When a LAUNCH names a task whose
// name another Task holds, the offer controller reports the TASK_ERROR through a stand-in record
// (TASK_ID_ANNOTATION names the task). Mesos keeps nothing of such a task and its status update
// is not retried, so the stand-in is feedback only: nobody else would ever delete it, and it is
// deleted once the retention after its TASK_ERROR has passed.
import type { Logger } from 'pino';
import { isNotFound } from '../../core/client/index.ts';
import {
  REJECTED_ANNOTATION,
  TASK_ID_ANNOTATION,
  isTerminalTask,
} from '../../core/framework/index.ts';
import type { Task } from '../../core/types/index.ts';
import type { Clock } from '../../core/util/clock.ts';
import type { Result } from '../runtime/index.ts';
import { done } from '../runtime/index.ts';
import type { TaskApi } from './task-reconciler.ts';

/** DEFAULT_STAND_IN_RETENTION_MS keeps a stand-in 15 minutes, as acknowledged operations. */
export const DEFAULT_STAND_IN_RETENTION_MS = 15 * 60_000;

/** isStandIn is true for a Task that only reports another task's refused launch. */
export function isStandIn(task: Task): boolean {
  const a = task.metadata.annotations ?? {};
  return a[TASK_ID_ANNOTATION] !== undefined && a[REJECTED_ANNOTATION] !== undefined;
}

/** StandInInput is one stand-in and what collecting it needs. */
export interface StandInInput {
  readonly task: Task;
  readonly api: Pick<TaskApi, 'delete'>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly retentionMs: number;
  readonly signal: AbortSignal;
}

/** collectStandIn deletes a stand-in once its TASK_ERROR is older than the retention. */
export async function collectStandIn(i: StandInInput): Promise<Result> {
  const { task } = i;
  if (task.metadata.deletionTimestamp !== undefined || !isTerminalTask(task)) return done;
  const ended = Date.parse(task.status?.lastTransitionTime ?? '');
  const wait = (Number.isNaN(ended) ? 0 : ended) + i.retentionMs - i.clock.now();
  if (wait > 0) return { requeueAfterMs: wait };
  const key = { namespace: task.metadata.namespace ?? '', name: task.metadata.name ?? '' };
  const uid = task.metadata.uid;
  try {
    await i.api.delete(key, {
      signal: i.signal,
      ...(uid === undefined ? {} : { preconditions: { uid } }),
    });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  i.logger.info(
    { task: `${key.namespace}/${key.name}`, for: task.metadata.annotations?.[TASK_ID_ANNOTATION] },
    'stand-in of a refused launch collected',
  );
  return done;
}
