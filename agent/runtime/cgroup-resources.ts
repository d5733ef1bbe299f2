// Requests vs limits to cgroup v1 settings, as Mesos 1.10 does it (mesos-features §7.3; Mesos
// src/slave/containerizer/mesos/isolators/cgroups/subsystems/{cpu,memory}.cpp). runc writes the
// OCI values to cpu.shares, cpu.cfs_quota_us/cfs_period_us, memory.soft_limit_in_bytes,
// memory.limit_in_bytes and pids.max. All arithmetic is on exact milli-units (bigint).
import type { Scalar } from '../../core/resources/index.ts';
import { ResourceParseError, parseQuantity, unitOf } from '../../core/resources/index.ts';
import type { Quantity } from '../../core/types/index.ts';
import { ContainerSpecError } from './errors.ts';
import type { OciCpu, OciMemory, OciResources } from './oci-spec.ts';
import type { ContainerResources } from './types.ts';

/** CPU_SHARES_PER_CPU is Mesos's cpu.shares for one whole cpu. */
export const CPU_SHARES_PER_CPU = 1024n;
/** MIN_CPU_SHARES is the kernel's (and Mesos's) smallest cpu.shares. */
export const MIN_CPU_SHARES = 2n;
/** CFS_PERIOD_US is Mesos's CFS period, 100 ms. */
export const CFS_PERIOD_US = 100_000n;
/** MIN_CFS_QUOTA_US is Mesos's smallest quota, 1 ms. */
export const MIN_CFS_QUOTA_US = 1_000n;
/** MIN_MEMORY_BYTES is Mesos's smallest memory limit, 32 MB. */
export const MIN_MEMORY_BYTES = 32n << 20n;

const BYTES_PER_MB = 1n << 20n;

/**
 * CgroupPolicy is the agent-wide part: `enableCfs` is Mesos `--cgroups_enable_cfs` (a hard cap
 * equal to the request when there is no cpu limit); `pidsLimit` applies unless the spec sets one;
 * `hostMemoryBytes`, when known, enables Mesos's OOM priority for burstable containers.
 */
export interface CgroupPolicy {
  readonly enableCfs: boolean;
  readonly pidsLimit: number;
  readonly hostMemoryBytes?: number;
}

/** CgroupSettings are the OCI resources plus the init process's oom_score_adj, if any. */
export interface CgroupSettings {
  readonly resources: OciResources;
  readonly oomScoreAdj?: number;
}

// A limit is a finite amount or explicitly unlimited; undefined means "not given".
type Limit = Scalar | 'Infinity' | undefined;

function amount(value: Quantity | undefined, name: string, field: string): Scalar | undefined {
  if (value === undefined) return undefined;
  try {
    return parseQuantity(value, { field, unit: unitOf(name) });
  } catch (e) {
    if (e instanceof ResourceParseError) throw new ContainerSpecError(e.field, e.detail);
    throw e;
  }
}

function limitOf(value: Quantity | undefined, name: string): Limit {
  if (value === 'Infinity') return 'Infinity';
  return amount(value, name, `limits.${name}`);
}

const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);

/**
 * cpuSettings: shares = max(1024 × request, 2); a finite limit gives quota = max(100 ms × limit,
 * 1 ms) per 100 ms period, an infinite one quota -1 (no cap); with no limit there is no quota
 * unless `enableCfs`, which caps at the request. No request means the kernel's default weight.
 */
export function cpuSettings(request: Scalar | undefined, limit: Limit, enableCfs: boolean): OciCpu {
  const cpu: OciCpu = {};
  if (request !== undefined) {
    cpu.shares = Number(max((request * CPU_SHARES_PER_CPU) / 1000n, MIN_CPU_SHARES));
  }
  const capped = limit ?? (enableCfs ? request : undefined);
  if (capped === 'Infinity') {
    cpu.period = Number(CFS_PERIOD_US);
    cpu.quota = -1;
  } else if (capped !== undefined) {
    cpu.period = Number(CFS_PERIOD_US);
    cpu.quota = Number(max((capped * CFS_PERIOD_US) / 1000n, MIN_CFS_QUOTA_US));
  }
  return cpu;
}

/** bytesOf converts milli-MB (Mesos mem) to whole bytes, rounding down. */
export function bytesOf(mem: Scalar): bigint {
  return (mem * BYTES_PER_MB) / 1000n;
}

/**
 * memorySettings: soft limit = max(request, 32 MB); hard limit = max(limit, 32 MB) for a finite
 * limit, -1 for an infinite one, and the soft limit when there is no limit (hard = request).
 */
export function memorySettings(request: Scalar | undefined, limit: Limit): OciMemory {
  if (request === undefined) return {};
  const soft = max(bytesOf(request), MIN_MEMORY_BYTES);
  const hard =
    limit === 'Infinity' ? -1n : limit === undefined ? soft : max(bytesOf(limit), MIN_MEMORY_BYTES);
  return { reservation: Number(soft), limit: Number(hard) };
}

/**
 * oomScoreAdj is Mesos's OOM priority for a burstable container (soft < hard): 1000 − 1000 ×
 * request / host memory, so containers above their request die first. Never negative: this host
 * cannot lower oom_score_adj (no CAP_SYS_RESOURCE), and negative values would shield the task.
 */
export function oomScoreAdj(memory: OciMemory, hostMemoryBytes: number): number | undefined {
  const { reservation, limit } = memory;
  if (reservation === undefined || limit === undefined) return undefined;
  if (limit !== -1 && limit <= reservation) return undefined;
  const total = BigInt(hostMemoryBytes);
  if (total <= 0n) return undefined;
  const adj = 1000n - (1000n * BigInt(reservation)) / total;
  return Number(adj < 0n ? 0n : adj > 1000n ? 1000n : adj);
}

/** cgroupSettings turns a container's requests and limits into OCI `linux.resources`. */
export function cgroupSettings(res: ContainerResources, policy: CgroupPolicy): CgroupSettings {
  const cpus = amount(res.requests['cpus'], 'cpus', 'resources.cpus');
  const mem = amount(res.requests['mem'], 'mem', 'resources.mem');
  const cpu = cpuSettings(cpus, limitOf(res.limits?.cpus, 'cpus'), policy.enableCfs);
  const memory = memorySettings(mem, limitOf(res.limits?.mem, 'mem'));
  const pids = res.pids ?? policy.pidsLimit;
  const resources: OciResources = {
    // deny every device node except the ones runc always allows (null, zero, tty, ...)
    devices: [{ allow: false, access: 'rwm' }],
    ...(Object.keys(cpu).length > 0 ? { cpu } : {}),
    ...(Object.keys(memory).length > 0 ? { memory } : {}),
    ...(pids > 0 ? { pids: { limit: pids } } : {}),
  };
  const adj =
    policy.hostMemoryBytes === undefined ? undefined : oomScoreAdj(memory, policy.hostMemoryBytes);
  return adj === undefined ? { resources } : { resources, oomScoreAdj: adj };
}
