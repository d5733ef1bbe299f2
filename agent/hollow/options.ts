// The configuration of a hollow-agent process (`corral agent --hollow N`), with the defaults in
// one place and the marks that tell hollow agents and their knobs apart from real ones.
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { ReconfigurationPolicy } from '../../core/types/agent.ts';
import { DEFAULT_AGENT_STATUS_REFRESH_MS } from '../../core/types/agent-lease.ts';
import type { Clock } from '../../core/util/clock.ts';

/**
 * HOLLOW_LABEL is on every hollow agent's record (`"true"`), so schedulers, dashboards and
 * operators can tell simulated nodes from real ones (kubemark names its nodes the same way).
 */
export const HOLLOW_LABEL = 'corral.dev/hollow';

/**
 * RUN_SECONDS_KEY, as an annotation or a label on a Task (a framework's LAUNCH can set labels
 * only), is how long a hollow agent keeps that Task RUNNING before TASK_FINISHED; 0 means until
 * it is killed.
 */
export const RUN_SECONDS_KEY = 'corral.dev/hollow-run-seconds';

/** HollowOptions configure one process of hollow agents. */
export interface HollowOptions {
  readonly kubeConfig: KubeConfig;
  /** count of hollow agents in this process. */
  readonly count: number;
  /** prefix of their names, `hollow-<prefix>-<i>`; two processes need two prefixes. */
  readonly prefix: string;
  /** resources of each, Mesos text form; cpus, mem, disk or ports left out take the default's. */
  readonly resources?: string;
  /** taskSeconds a Task stays RUNNING unless it says otherwise (RUN_SECONDS_KEY); 0: forever. */
  readonly taskSeconds?: number;
  /** startSeconds between TASK_STARTING and TASK_RUNNING. */
  readonly startSeconds?: number;
  readonly reconfigurationPolicy?: ReconfigurationPolicy;
  /** heartbeatIntervalMs between two renewals of an agent's Lease (its heartbeat). */
  readonly heartbeatIntervalMs?: number;
  /** statusRefreshMs between two rewrites of an agent's unchanged Agent status. */
  readonly statusRefreshMs?: number;
  /** registerConcurrency caps registrations in flight. */
  readonly registerConcurrency?: number;
  /** heartbeatConcurrency caps heartbeats in flight (a slow API delays beats, never piles them). */
  readonly heartbeatConcurrency?: number;
  /** taskConcurrency caps Task passes (each at most one write) in flight across all agents. */
  readonly taskConcurrency?: number;
  readonly logger: Logger;
  readonly clock?: Clock;
}

/** HOLLOW_DEFAULTS are the values used for options left out. */
export const HOLLOW_DEFAULTS = {
  /** resources of Mesos's benchmark agents (src/tests/hierarchical_allocator_benchmarks.cpp). */
  resources: 'cpus:24;mem:4096;disk:4096;ports:[31000-32000]',
  taskSeconds: 30,
  startSeconds: 0,
  reconfigurationPolicy: 'equal',
  heartbeatIntervalMs: 5_000,
  statusRefreshMs: DEFAULT_AGENT_STATUS_REFRESH_MS,
  registerConcurrency: 32,
  heartbeatConcurrency: 32,
  // 5000 real agents would each write their own Tasks' states at once; 64 lanes in all capped the
  // fleet at 64 ÷ the API's latency (under 700 writes/s at 100 ms) and queued the rest for seconds
  taskConcurrency: 256,
} as const;

/** hollowName is the name of the i-th hollow agent of a process. */
export function hollowName(prefix: string, i: number): string {
  return `hollow-${prefix}-${i}`;
}
