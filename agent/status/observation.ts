// What the agent can observe about a Task's container, as input to `nextStatus`. Each variant
// names one fact (the container started, exited, vanished...); transitions.ts decides what that
// fact makes of the Task's status.
import type { ResourceMap } from '../../core/types/resources.ts';
import type { ExitStatus } from '../runtime/types.ts';
import type { LimitationReason } from '../isolation/monitor.ts';

/**
 * KillCause is why the agent itself killed a container; it decides the terminal state that
 * follows the exit (a kill for deletion is TASK_KILLED, a broken limit is TASK_FAILED).
 */
export type KillCause =
  | { readonly kind: 'deleted' }
  | {
      readonly kind: 'limitation';
      readonly reason: LimitationReason;
      readonly message: string;
      readonly resources: ResourceMap;
    }
  | { readonly kind: 'unhealthy'; readonly message: string }
  | { readonly kind: 'maxCompletion'; readonly seconds: number };

/** Observation is one fact about a Task's container. */
export type Observation =
  /** The agent began launching (fetch, image, volumes, container). */
  | { readonly type: 'starting' }
  /** The container's process runs; `healthy` is the health check's verdict, once it has one. */
  | {
      readonly type: 'running';
      readonly containerId: string;
      readonly pid?: number;
      readonly healthy?: boolean;
    }
  /** The agent is killing the container (deletion or a failed health check). */
  | { readonly type: 'killing'; readonly containerId: string }
  /** The container's process ended. */
  | {
      readonly type: 'exited';
      readonly containerId: string;
      readonly exit: ExitStatus;
      readonly cause?: KillCause;
    }
  /** The container could not be prepared or started. */
  | { readonly type: 'launchFailed'; readonly message: string; readonly containerId?: string }
  /** The Task was deleted before its container was created. */
  | { readonly type: 'killedBeforeLaunch' }
  /** The container was started earlier but is gone (the agent restarted and cannot find it). */
  | { readonly type: 'vanished'; readonly containerId: string; readonly message: string }
  /** The container's supervisor is gone and its exit code with it. */
  | { readonly type: 'exitUnknown'; readonly containerId: string; readonly message: string };

/** describeExit is Mesos's command executor wording for an exit. */
export function describeExit(exit: ExitStatus): string {
  return exit.signal === undefined
    ? `Command exited with status ${exit.exitCode}`
    : `Command terminated with signal ${exit.signal}`;
}
