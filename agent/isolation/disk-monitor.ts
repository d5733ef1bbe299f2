// Mesos `disk/du` (mesos-features §3.5): poll the usage of a sandbox and of each persistent
// volume the task uses, each against its own limit, and report the first that goes over so the
// agent kills the task with REASON_CONTAINER_LIMITATION_DISK. Enforcement is soft: a task can
// overshoot for up to one interval.
import { parseResourceMap } from '../../core/resources/index.ts';
import type { ResourceItem, ResourceMap } from '../../core/types/resources.ts';
import type { Clock } from '../../core/util/clock.ts';
import type { DiskMethod } from './disk-usage.ts';
import { DEFAULT_DISK_METHOD, diskUsage } from './disk-usage.ts';
import type { ContainerLimitation } from './monitor.ts';
import { PollingMonitor } from './monitor.ts';

/** DEFAULT_DISK_INTERVAL_MS is Mesos's `--container_disk_watch_interval` (15s). */
export const DEFAULT_DISK_INTERVAL_MS = 15_000;

const BYTES_PER_MB = 1n << 20n;

/** DiskQuota is one directory and the bytes it may hold. */
export interface DiskQuota {
  readonly path: string;
  readonly limitBytes: number;
  /** Reported as `limitation.resources` when this quota is exceeded; default `{disk: <MB>}`. */
  readonly resources?: ResourceMap;
}

/** DiskTarget is what to measure for one container: its sandbox and its persistent volumes. */
export interface DiskTarget {
  readonly quotas: readonly DiskQuota[];
}

/** DiskUsage is the last measurement of one quota's directory. */
export interface DiskUsage {
  readonly path: string;
  readonly usedBytes: number;
  readonly limitBytes: number;
}

/** DiskMonitorOptions configures a DiskMonitor. */
export interface DiskMonitorOptions {
  readonly clock: Clock;
  readonly intervalMs?: number;
  readonly method?: DiskMethod;
  readonly onLimitation: (limitation: ContainerLimitation) => void;
  readonly onError?: (containerId: string, error: unknown) => void;
  /** Replaces `diskUsage`, for tests. */
  readonly measure?: (path: string, signal: AbortSignal) => Promise<number>;
}

/**
 * diskLimitBytes is a task's `disk` request in bytes (Mesos MB are 2^20 bytes), or undefined when
 * it asks for no disk (then only its volumes are policed).
 */
export function diskLimitBytes(resources: ResourceMap): number | undefined {
  if (resources['disk'] === undefined) return undefined;
  const milliMb = parseResourceMap({ disk: resources['disk'] }).scalar('disk');
  return Number((milliMb * BYTES_PER_MB) / 1000n);
}

/** VolumeDisk is a persistent volume a task mounts: its host directory and its disk resource. */
export interface VolumeDisk {
  readonly path: string;
  readonly resource: ResourceItem;
}

/**
 * diskTarget is what a task is policed on, as in Mesos `disk/du`: its sandbox against its `disk`
 * request (skipped when it requests none), and each persistent volume against the volume's own
 * size (a volume without a scalar size is skipped).
 */
export function diskTarget(
  sandboxDir: string,
  resources: ResourceMap,
  volumes: readonly VolumeDisk[] = [],
): DiskTarget {
  const quotas: DiskQuota[] = [];
  const sandbox = diskLimitBytes(resources);
  if (sandbox !== undefined) quotas.push({ path: sandboxDir, limitBytes: sandbox });
  for (const v of volumes) {
    const size =
      v.resource.scalar === undefined ? undefined : diskLimitBytes({ disk: v.resource.scalar });
    if (size !== undefined)
      quotas.push({ path: v.path, limitBytes: size, resources: { disk: v.resource.scalar ?? 0 } });
  }
  return { quotas };
}

function formatMb(bytes: number): string {
  return `${(bytes / Number(BYTES_PER_MB)).toFixed(2).replace(/\.?0+$/, '')}MB`;
}

/**
 * diskLimitation is Mesos's report: "Disk usage (X) exceeds quota (Y)", with the quota as the
 * `disk` resource unless the quota names its own resources.
 */
export function diskLimitation(
  containerId: string,
  q: DiskQuota,
  used: number,
): ContainerLimitation {
  const mb = String(Math.ceil(q.limitBytes / Number(BYTES_PER_MB)));
  return {
    containerId,
    reason: 'REASON_CONTAINER_LIMITATION_DISK',
    message: `Disk usage (${formatMb(used)}) of ${q.path} exceeds quota (${formatMb(q.limitBytes)})`,
    resources: q.resources ?? { disk: mb },
  };
}

/**
 * DiskMonitor measures every watched container's quotas each interval (default 15s) with
 * `du -skx` (or the Node walk) and calls `onLimitation` once for a container whose usage of any
 * quota is above its limit. `usage(containerId)` returns the last measurement, for statistics.
 */
export class DiskMonitor extends PollingMonitor<DiskTarget> {
  readonly #usage = new Map<string, DiskUsage[]>();

  constructor(options: DiskMonitorOptions) {
    const method = options.method ?? DEFAULT_DISK_METHOD;
    const measure = options.measure ?? ((p, s) => diskUsage(p, method, s));
    super({
      clock: options.clock,
      intervalMs: options.intervalMs ?? DEFAULT_DISK_INTERVAL_MS,
      onLimitation: options.onLimitation,
      ...(options.onError === undefined ? {} : { onError: options.onError }),
      check: async (containerId, target, signal) => {
        const usage: DiskUsage[] = [];
        let over: ContainerLimitation | undefined;
        for (const q of target.quotas) {
          const usedBytes = await measure(q.path, signal);
          usage.push({ path: q.path, usedBytes, limitBytes: q.limitBytes });
          if (over === undefined && usedBytes > q.limitBytes) {
            over = diskLimitation(containerId, q, usedBytes);
          }
        }
        // A container unwatched while it was measured must not leave its usage behind.
        if (this.watching().includes(containerId)) this.#usage.set(containerId, usage);
        return over;
      },
    });
  }

  /** usage is the last measurement of a container, if it was measured. */
  usage(containerId: string): readonly DiskUsage[] | undefined {
    return this.#usage.get(containerId);
  }

  /** unwatch stops measuring a container and forgets its usage. */
  override unwatch(containerId: string): void {
    super.unwatch(containerId);
    this.#usage.delete(containerId);
  }
}
