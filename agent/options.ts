// The agent's configuration as `startAgent` takes it (cli/agent.ts maps flags onto it), with the
// defaults in one place.
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { ReconfigurationPolicy } from '../core/types/agent.ts';
import { DEFAULT_AGENT_STATUS_REFRESH_MS } from '../core/types/agent-lease.ts';
import type { Clock } from '../core/util/clock.ts';

/** AgentOptions configure one agent process. */
export interface AgentOptions {
  readonly kubeConfig: KubeConfig;
  /** name of the Agent record; also the runtime's agent id (cgroups under /corral/<name>). */
  readonly name: string;
  /** hostname registered (default: os.hostname()). */
  readonly hostname?: string;
  readonly workDir: string;
  /** runcRoot is runc's state dir (default /run/corral/<name>/runc). */
  readonly runcRoot?: string;
  /** resources in Mesos text form; what it leaves out of cpus/mem/disk/ports is detected. */
  readonly resources?: string;
  /** attributes in Mesos text form, `rack:r1;zone:a`. */
  readonly attributes?: string;
  /** faultDomain as `region/zone`. */
  readonly faultDomain?: string;
  readonly reconfigurationPolicy?: ReconfigurationPolicy;
  /** apiHost must be a loopback address (default 127.0.0.1). */
  readonly apiHost?: string;
  /** apiPort of the agent API (default 0: any free port; the Agent record says which). */
  readonly apiPort?: number;
  /** apiToken the agent API requires (default: the kubeconfig user's bearer token). */
  readonly apiToken?: string;
  readonly seccompProfileDir?: string;
  /** seccompDefaultProfile: a name in the profile dir, 'builtin' (default) or 'unconfined'. */
  readonly seccompDefaultProfile?: string;
  /** allowedHostPathParents: where missing host-path volumes may be created. */
  readonly allowedHostPathParents?: readonly string[];
  /** heartbeatIntervalMs between two renewals of the agent's Lease (5 s). */
  readonly heartbeatIntervalMs?: number;
  /** statusRefreshMs: the Agent status is rewritten this often when nothing changed (5 min). */
  readonly statusRefreshMs?: number;
  /**
   * healthTimeoutMs is the controllers' agent health timeout (--agent-ping-timeout ×
   * --max-agent-ping-timeouts) when known: the Lease's duration (default 4 heartbeat intervals).
   */
  readonly healthTimeoutMs?: number;
  /** portsIntervalMs is Mesos's --container_ports_watch_interval (30 s). */
  readonly portsIntervalMs?: number;
  /** diskIntervalMs is Mesos's --container_disk_watch_interval (15 s). */
  readonly diskIntervalMs?: number;
  /** defaultKillGracePeriodMs applies when a Task's kill policy names none (3 s). */
  readonly defaultKillGracePeriodMs?: number;
  /** concurrency caps Tasks launched or killed at once (32). */
  readonly concurrency?: number;
  /** launchConcurrency caps container creates and starts at once (4 per CPU, 4 to 32). */
  readonly launchConcurrency?: number;
  /** defaultRegistry for image references without one (docker.io). */
  readonly defaultRegistry?: string;
  /** fetcherCacheBytes is Mesos's --fetcher_cache_size (2 GB). */
  readonly fetcherCacheBytes?: number;
  /** imageGcIntervalMs: collect unused images this often (1 h; 0: only under disk pressure). */
  readonly imageGcIntervalMs?: number;
  /** imageGcMaxUnusedMs: a periodic collection spares images used this recently (1 h). */
  readonly imageGcMaxUnusedMs?: number;
  /** imageDiskHeadroom is Mesos's image_disk_headroom: collect at this free fraction (0.1). */
  readonly imageDiskHeadroom?: number;
  /** imageDiskWatchIntervalMs is Mesos's image_disk_watch_interval (5 min). */
  readonly imageDiskWatchIntervalMs?: number;
  /** imageStoreMaxBytes: also collect when the image store grows past this (no limit). */
  readonly imageStoreMaxBytes?: number;
  /** imageGcExcluded are references or digests never collected (Mesos excluded_images). */
  readonly imageGcExcluded?: readonly string[];
  readonly logger: Logger;
  readonly clock?: Clock;
}

/** defaultLaunchConcurrency is 4 creates per CPU, at least 4 and at most 32. */
export function defaultLaunchConcurrency(cpus: number): number {
  return Math.min(32, Math.max(4, 4 * cpus));
}

/** AGENT_DEFAULTS are the values used for options left out. */
export const AGENT_DEFAULTS = {
  apiHost: '127.0.0.1',
  apiPort: 0,
  reconfigurationPolicy: 'equal',
  heartbeatIntervalMs: 5_000,
  statusRefreshMs: DEFAULT_AGENT_STATUS_REFRESH_MS,
  portsIntervalMs: 30_000,
  diskIntervalMs: 15_000,
  defaultKillGracePeriodMs: 3_000,
  concurrency: 32,
  fetcherCacheBytes: 2 * 1024 ** 3,
  imageGcIntervalMs: 3_600_000,
  imageGcMaxUnusedMs: 3_600_000,
  imageDiskHeadroom: 0.1,
  imageDiskWatchIntervalMs: 300_000,
} as const;
