// A framework's tasks outlive it only for its failover timeout (Mesos: a disconnected framework is
// torn down, its tasks killed, once failover_timeout passes; its reservations and volumes stay).
// Here a framework is gone when its Framework object is deleted, and disconnected while its Active
// condition is False. Deletion leaves no trace in the API, so the first pass that finds a task
// orphaned stamps it with the time and the timeout (known from FrameworkMemory); re-creating the
// Framework in time is the failover, and the stamp is removed.
import type { Logger } from 'pino';
import { isNotFound } from '../../core/client/index.ts';
import type { Framework, Task } from '../../core/types/index.ts';
import type { Clock } from '../../core/util/clock.ts';
import { findCondition, isoTime } from '../agents/conditions.ts';
import type { Result } from '../runtime/index.ts';
import { done } from '../runtime/index.ts';
import type { FrameworkMemory } from './framework-memory.ts';
import type { TaskApi } from './task-reconciler.ts';

/** ORPHANED_AT_ANNOTATION is when the controller found the task's Framework gone. */
export const ORPHANED_AT_ANNOTATION = 'corral.dev/framework-gone-at';

/** ORPHAN_TIMEOUT_ANNOTATION is the failover timeout (seconds) the gone Framework had. */
export const ORPHAN_TIMEOUT_ANNOTATION = 'corral.dev/failover-timeout-seconds';

/** FrameworkLossInput is one task, its framework (if any) and what the step may use. */
export interface FrameworkLossInput {
  readonly task: Task;
  readonly framework: Framework | undefined;
  readonly memory: FrameworkMemory;
  readonly api: TaskApi;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

const FIELD_MANAGER = 'corral-task-controller';

/**
 * frameworkLoss takes the framework-side step for a task: unstamp it (the framework is back),
 * stamp it (just orphaned), delete it (the failover timeout has passed), or wait.
 */
export async function frameworkLoss(i: FrameworkLossInput): Promise<Result> {
  const { task, framework } = i;
  const annotations = task.metadata.annotations ?? {};
  const stamped = annotations[ORPHANED_AT_ANNOTATION];
  if (framework !== undefined) {
    if (stamped !== undefined) {
      await setStamp(i, undefined);
      return done;
    }
    const active = findCondition(framework.status?.conditions, 'Active');
    if (active?.status !== 'False') return done;
    const timeout = framework.spec.failoverTimeoutSeconds ?? 0;
    return killAfter(i, Date.parse(active.lastTransitionTime) + timeout * 1000, 'disconnected');
  }
  if (task.metadata.deletionTimestamp !== undefined) return done;
  if (stamped === undefined) {
    const ns = task.metadata.namespace ?? '';
    const timeout = i.memory.failoverTimeoutSeconds(ns, task.spec.framework);
    // Deleted before this process saw it: its timeout is unknown, so the task is kept as an
    // orphan (Mesos keeps orphans too) rather than risk killing what a long timeout protects.
    if (timeout === undefined) return done;
    await setStamp(i, { at: isoTime(i.clock.now()), timeout });
    return done;
  }
  const timeout = Number(annotations[ORPHAN_TIMEOUT_ANNOTATION] ?? '0');
  return killAfter(
    i,
    Date.parse(stamped) + (Number.isFinite(timeout) ? timeout : 0) * 1000,
    'gone',
  );
}

async function killAfter(i: FrameworkLossInput, due: number, why: string): Promise<Result> {
  const { task, clock, api, signal } = i;
  if (task.metadata.deletionTimestamp !== undefined) return done;
  const now = clock.now();
  if (Number.isNaN(due)) return done;
  if (now < due) return { requeueAfterMs: due - now };
  const key = { namespace: task.metadata.namespace ?? '', name: task.metadata.name ?? '' };
  const uid = task.metadata.uid;
  try {
    await api.delete(key, { signal, ...(uid === undefined ? {} : { preconditions: { uid } }) });
  } catch (e) {
    if (!isNotFound(e)) throw e;
    return done;
  }
  i.logger.info(
    { task: `${key.namespace}/${key.name}`, framework: task.spec.framework, why },
    'framework failover timeout passed; task killed',
  );
  return done;
}

async function setStamp(
  i: FrameworkLossInput,
  stamp: { readonly at: string; readonly timeout: number } | undefined,
): Promise<void> {
  const next = structuredClone(i.task);
  const annotations = Object.fromEntries(
    Object.entries(next.metadata.annotations ?? {}).filter(
      ([k]) => k !== ORPHANED_AT_ANNOTATION && k !== ORPHAN_TIMEOUT_ANNOTATION,
    ),
  );
  if (stamp !== undefined) {
    annotations[ORPHANED_AT_ANNOTATION] = stamp.at;
    annotations[ORPHAN_TIMEOUT_ANNOTATION] = String(stamp.timeout);
  }
  next.metadata.annotations = annotations;
  await i.api.update(next, { signal: i.signal, fieldManager: FIELD_MANAGER });
}
