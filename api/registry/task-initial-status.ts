// A Task is TASK_STAGING from the moment it exists, as Mesos's master records a task STAGING when
// it accepts the launch (and as kube-apiserver's Pod strategy sets phase Pending on create).
// Setting it at the create saves the offer controller a `/status` write per launched Task, and
// gives a Task made by hand (kubectl) the same first state. The client's own status never gets
// here: Task has a status subresource, so the create dropped it.
import { REJECTED_ANNOTATION } from '../../core/framework/index.ts';
import type { KubeObject } from '../../core/types/meta.ts';
import { initialTaskStatus } from '../../core/types/task.ts';

/**
 * setInitialTaskStatus gives a Task being created its TASK_STAGING status, stamped with its
 * creation time. A Task marked rejected is left without one: it is the offer controller's record
 * of a refused launch, whose first and only state is the TASK_ERROR the controller writes next,
 * and a framework must not see it STAGING first (Mesos sends such a task TASK_ERROR alone).
 */
export function setInitialTaskStatus(task: KubeObject): void {
  if (task.metadata.annotations?.[REJECTED_ANNOTATION] !== undefined) return;
  const at = task.metadata.creationTimestamp;
  if (at === undefined) throw new RangeError('a Task is given its status after its creation time');
  task['status'] = initialTaskStatus(at);
}
