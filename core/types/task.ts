// Task: one container on one agent and its Mesos state (mesos-features §5).
import type { CorralApiVersion } from './group.ts';
import type { Condition, KubeObject } from './meta.ts';
import type { ResourceItem, ResourceMap } from './resources.ts';
import type { TaskTemplateSpec } from './task-template.ts';

/** TASK_STATES lists Mesos TaskState in lifecycle order. */
export const TASK_STATES = [
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_KILLING',
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_UNREACHABLE',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
  'TASK_UNKNOWN',
] as const;

/** TaskState is a Mesos task state. */
export type TaskState = (typeof TASK_STATES)[number];

/** TASK_REASONS lists Mesos TaskStatus.Reason. */
export const TASK_REASONS = [
  'REASON_COMMAND_EXECUTOR_FAILED',
  'REASON_CONTAINER_LAUNCH_FAILED',
  'REASON_CONTAINER_LIMITATION',
  'REASON_CONTAINER_LIMITATION_DISK',
  'REASON_CONTAINER_LIMITATION_MEMORY',
  'REASON_CONTAINER_PREEMPTED',
  'REASON_CONTAINER_UPDATE_FAILED',
  'REASON_MAX_COMPLETION_TIME_REACHED',
  'REASON_EXECUTOR_REGISTRATION_TIMEOUT',
  'REASON_EXECUTOR_REREGISTRATION_TIMEOUT',
  'REASON_EXECUTOR_TERMINATED',
  'REASON_EXECUTOR_UNREGISTERED',
  'REASON_FRAMEWORK_REMOVED',
  'REASON_GC_ERROR',
  'REASON_INVALID_FRAMEWORKID',
  'REASON_INVALID_OFFERS',
  'REASON_IO_SWITCHBOARD_EXITED',
  'REASON_MASTER_DISCONNECTED',
  'REASON_RECONCILIATION',
  'REASON_RESOURCES_UNKNOWN',
  'REASON_AGENT_DISCONNECTED',
  'REASON_AGENT_DRAINING',
  'REASON_AGENT_REMOVED',
  'REASON_AGENT_REMOVED_BY_OPERATOR',
  'REASON_AGENT_REREGISTERED',
  'REASON_AGENT_RESTARTED',
  'REASON_AGENT_UNKNOWN',
  'REASON_TASK_KILLED_DURING_LAUNCH',
  'REASON_TASK_CHECK_STATUS_UPDATED',
  'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED',
  'REASON_TASK_GROUP_INVALID',
  'REASON_TASK_GROUP_UNAUTHORIZED',
  'REASON_TASK_INVALID',
  'REASON_TASK_UNAUTHORIZED',
  'REASON_TASK_UNKNOWN',
] as const;

/** TaskReason is a Mesos task status reason. */
export type TaskReason = (typeof TASK_REASONS)[number];

/** TASK_STATUS_SOURCES lists who can produce a task state. */
export const TASK_STATUS_SOURCES = ['SOURCE_MASTER', 'SOURCE_AGENT', 'SOURCE_EXECUTOR'] as const;

/** TaskStatusSource: SOURCE_MASTER is Corral's controllers. */
export type TaskStatusSource = (typeof TASK_STATUS_SOURCES)[number];

/**
 * AGENT_FINALIZER is the agent's hold on a Task's record until it has killed and cleaned up the
 * container. The offer controller creates launched Tasks with it already (so the agent has no
 * metadata write to make before the launch); the agent adds it to a Task made without it (by
 * hand), and the task controller releases it for an agent marked gone.
 */
export const AGENT_FINALIZER = 'corral.dev/agent';

/** TaskSpec is the container plus where it runs; the offer controller fills the placement. */
export interface TaskSpec extends TaskTemplateSpec {
  agent: string;
  framework: string;
  role: string;
  offer?: string;
  /** The LAUNCH_GROUP the task belongs to. */
  group?: string;
  /** The exact offered resources the task holds. */
  allocatedResources?: ResourceItem[];
}

/** ContainerStatus is Mesos ContainerStatus. */
export interface ContainerStatus {
  containerId?: string;
  pid?: number;
  exitCode?: number;
  ipAddresses?: string[];
}

/** TaskStatus is Mesos TaskStatus as the agent reports it. */
export interface TaskStatus {
  observedGeneration?: number;
  conditions?: Condition[];
  state?: TaskState;
  reason?: TaskReason;
  source?: TaskStatusSource;
  message?: string;
  healthy?: boolean;
  lastTransitionTime?: string;
  unreachableTime?: string;
  containerStatus?: ContainerStatus;
  limitation?: { resources?: ResourceMap };
}

/**
 * initialTaskStatus is a Task's first status, Mesos's TASK_STAGING from the master, since `at`
 * (the creation time). The API server sets it on every Task it creates (as kube-apiserver sets
 * a Pod's phase to Pending), so the offer controller needs no `/status` write for it.
 */
export function initialTaskStatus(at: string): TaskStatus {
  return { state: 'TASK_STAGING', source: 'SOURCE_MASTER', lastTransitionTime: at };
}

/** Task is one container (namespaced, in its framework's namespace). */
export interface Task extends KubeObject {
  apiVersion: CorralApiVersion;
  kind: 'Task';
  spec: TaskSpec;
  status?: TaskStatus;
}
