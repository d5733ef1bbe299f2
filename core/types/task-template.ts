// The container half of a Task: what a framework writes in a LAUNCH (mesos-features §5.6, §7,
// §8.1–8.3). The Task kind adds where it runs (task.ts).
import type { Quantity, ResourceMap, VolumeMode } from './resources.ts';

/** FetchUri is one file the fetcher downloads into the sandbox (Mesos CommandInfo.URI). */
export interface FetchUri {
  value: string;
  executable?: boolean;
  extract?: boolean;
  cache?: boolean;
  outputFile?: string;
}

/**
 * Command is Mesos CommandInfo: with `shell` (default true) `value` runs under /bin/sh -c; without
 * it `value` is the executable and `arguments` the whole argv.
 */
export interface Command {
  value?: string;
  shell?: boolean;
  arguments?: string[];
  user?: string;
  uris?: FetchUri[];
}

/** EnvVar is one environment variable. */
export interface EnvVar {
  name: string;
  value?: string;
}

/** SANDBOX_PATH_TYPES lists whose sandbox a SANDBOX_PATH volume points into. */
export const SANDBOX_PATH_TYPES = ['SELF', 'PARENT'] as const;

/** SandboxPathType is the task's own sandbox (SELF) or its group's (PARENT). */
export type SandboxPathType = (typeof SANDBOX_PATH_TYPES)[number];

/** VolumeMount mounts exactly one source at containerPath (Mesos Volume). */
export interface VolumeMount {
  containerPath: string;
  mode?: VolumeMode;
  /** A Volume object on the same agent. */
  persistentVolume?: { name: string };
  hostPath?: { path: string };
  sandboxPath?: { type?: SandboxPathType; path: string };
}

/** SeccompProfile selects a profile or none (Mesos SeccompInfo); exactly one field is set. */
export interface SeccompProfile {
  profileName?: string;
  unconfined?: boolean;
}

/** NETWORK_MODES lists the task network modes. */
export const NETWORK_MODES = ['host', 'own'] as const;

/** NetworkMode: `host` shares the agent's network namespace, `own` gets one of its own. */
export type NetworkMode = (typeof NETWORK_MODES)[number];

/** PORT_PROTOCOLS lists the port protocols. */
export const PORT_PROTOCOLS = ['TCP', 'UDP'] as const;

/** PortProtocol is TCP or UDP. */
export type PortProtocol = (typeof PORT_PROTOCOLS)[number];

/** TaskPort is a port the task listens on; hostPort only in `own` network mode. */
export interface TaskPort {
  name?: string;
  port: number;
  hostPort?: number;
  protocol?: PortProtocol;
}

/** HEALTH_CHECK_TYPES lists the health check kinds. */
export const HEALTH_CHECK_TYPES = ['COMMAND', 'HTTP', 'TCP'] as const;

/** HealthCheckType names the field of HealthCheck that must be set. */
export type HealthCheckType = (typeof HEALTH_CHECK_TYPES)[number];

/** HealthCheck is Mesos HealthCheck, with Mesos's defaults in the schema. */
export interface HealthCheck {
  type: HealthCheckType;
  command?: Command;
  http?: { port: number; path?: string; scheme?: 'http' | 'https' };
  tcp?: { port: number };
  delaySeconds?: number;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  consecutiveFailures?: number;
  gracePeriodSeconds?: number;
}

/** KILL_SIGNALS lists the first signal a kill may send. */
export const KILL_SIGNALS = [
  'SIGTERM',
  'SIGINT',
  'SIGQUIT',
  'SIGHUP',
  'SIGUSR1',
  'SIGUSR2',
  'SIGKILL',
] as const;

/** KillSignal is the signal sent before SIGKILL. */
export type KillSignal = (typeof KILL_SIGNALS)[number];

/** KillPolicy is Mesos KillPolicy, plus the first signal (a Corral addition). */
export interface KillPolicy {
  gracePeriodSeconds?: number;
  signal?: KillSignal;
}

/** TaskLimits are Mesos TaskInfo.limits: cpus and mem only; `"Infinity"` for no limit. */
export interface TaskLimits {
  cpus?: Quantity;
  mem?: Quantity;
}

/** TaskTemplateSpec is the container a framework asks for: everything but the placement. */
export interface TaskTemplateSpec {
  /** Requests, in the map form. */
  resources: ResourceMap;
  limits?: TaskLimits;
  image?: string;
  command?: Command;
  env?: EnvVar[];
  volumes?: VolumeMount[];
  seccomp?: SeccompProfile;
  networkMode?: NetworkMode;
  ports?: TaskPort[];
  healthCheck?: HealthCheck;
  killPolicy?: KillPolicy;
  maxCompletionTimeSeconds?: number;
}

/** TaskTemplate is one task of a LAUNCH: the Task object's name, labels and spec. */
export interface TaskTemplate {
  name: string;
  labels?: Record<string, string>;
  spec: TaskTemplateSpec;
}
