// How the agent names what it creates for a Task, and the marks it puts on objects and containers.
// A container is named after the Task's uid, not its name, so a Task deleted and created again
// under the same name never meets the old one's container.

// AGENT_FINALIZER holds a Task's record until the agent has killed and cleaned up its container;
// it lives in core/types because the offer controller creates launched Tasks holding it already.
export { AGENT_FINALIZER } from '../../core/types/task.ts';

/** TASK_ANNOTATION (on a container) is the `namespace/name` of its Task. */
export const TASK_ANNOTATION = 'corral.dev/task';

/** TASK_UID_ANNOTATION (on a container) is the uid of its Task. */
export const TASK_UID_ANNOTATION = 'corral.dev/task-uid';

/** STANDALONE_ANNOTATION (on a container) marks an operator's standalone container. */
export const STANDALONE_ANNOTATION = 'corral.dev/standalone';

/**
 * REJECTED_ANNOTATION marks a Task the offer controller created only to report TASK_ERROR; the
 * agent never runs it, even before its status is written (the controller's constant of the same
 * name; agent/ cannot import controllers/).
 */
export const REJECTED_ANNOTATION = 'corral.dev/rejected';

/** TASK_CONTAINER_PREFIX starts every Task container id; standalone ids may not use it. */
export const TASK_CONTAINER_PREFIX = 'task-';

/** taskContainerId is the runtime id of a Task's container. */
export function taskContainerId(uid: string): string {
  return `${TASK_CONTAINER_PREFIX}${uid}`;
}

/** taskKey is the `namespace/name` key of a Task. */
export function taskKey(obj: { readonly metadata: { namespace?: string; name?: string } }): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

/** splitKey parses `namespace/name` back into its parts. */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
}
