// Reads a container's cgroup v1 counters and removes the cgroup directories runc leaves behind.
// runc puts a container with cgroupsPath `/corral/<agent>/<id>` at that path in every v1 hierarchy
// and in the unified one (containers-here §1); `runc delete` removes the leaf, never the parents.
import { readFile, rmdir } from 'node:fs/promises';
import { join } from 'node:path';

/** CgroupMounts maps a v1 controller (`memory`, `cpuacct`, `name=systemd`) to its mount point. */
export type CgroupMounts = ReadonlyMap<string, string>;

/** parseCgroupMounts reads cgroup v1 and v2 mount points from /proc/self/mountinfo text. */
export function parseCgroupMounts(mountinfo: string): CgroupMounts {
  const out = new Map<string, string>();
  for (const line of mountinfo.split('\n')) {
    const [pre, post] = line.split(' - ');
    if (pre === undefined || post === undefined) continue;
    const mountPoint = pre.split(' ')[4];
    const [fsType, , superOpts = ''] = post.split(' ');
    if (mountPoint === undefined) continue;
    if (fsType === 'cgroup2') out.set('unified', mountPoint);
    if (fsType !== 'cgroup') continue;
    for (const opt of superOpts.split(',')) {
      if (opt === 'rw' || opt === 'ro' || opt.startsWith('release_agent')) continue;
      if (!out.has(opt)) out.set(opt, mountPoint);
    }
  }
  return out;
}

/** readCgroupMounts is parseCgroupMounts of this process's mountinfo. */
export async function readCgroupMounts(): Promise<CgroupMounts> {
  return parseCgroupMounts(await readFile('/proc/self/mountinfo', 'utf8'));
}

/** CgroupCounters are the raw numbers stats() reports. */
export interface CgroupCounters {
  readonly cpuUsageNanos: bigint;
  readonly cpuUserNanos: bigint;
  readonly cpuSystemNanos: bigint;
  readonly cpuThrottledPeriods: number;
  readonly cpuThrottledNanos: bigint;
  readonly memoryUsageBytes: number;
  readonly memoryMaxUsageBytes: number;
  readonly memoryLimitBytes?: number;
  readonly memoryFailCount: number;
  readonly oomKills: number;
  readonly pids: number;
}

// The kernel's "no limit" is PAGE_COUNTER_MAX pages (9223372036854771712 on x86-64).
const UNLIMITED = 1n << 62n;

/** parseKeyed reads `key value` lines (memory.oom_control, cpu.stat). */
export function parseKeyed(text: string): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k !== undefined && v !== undefined && /^-?\d+$/.test(v)) out.set(k, BigInt(v));
  }
  return out;
}

/** CgroupReader reads one container's cgroup files; a missing file throws ENOENT. */
export class CgroupReader {
  readonly #mounts: CgroupMounts;
  readonly #path: string;

  constructor(mounts: CgroupMounts, cgroupsPath: string) {
    this.#mounts = mounts;
    this.#path = cgroupsPath;
  }

  #file(controller: string, name: string): string {
    const root = this.#mounts.get(controller);
    if (root === undefined) throw new Error(`cgroup v1 controller ${controller} is not mounted`);
    return join(root, this.#path, name);
  }

  async #int(controller: string, name: string): Promise<bigint> {
    return BigInt((await readFile(this.#file(controller, name), 'utf8')).trim());
  }

  async #keyed(controller: string, name: string): Promise<Map<string, bigint>> {
    return parseKeyed(await readFile(this.#file(controller, name), 'utf8'));
  }

  /** oomKills is the memory cgroup's `oom_kill` counter. */
  async oomKills(): Promise<number> {
    return Number((await this.#keyed('memory', 'memory.oom_control')).get('oom_kill') ?? 0n);
  }

  /** counters reads cpuacct, cpu, memory and pids. */
  async counters(): Promise<CgroupCounters> {
    const [usage, user, sys, cpuStat, mem, maxMem, limit, failcnt, oom, pids] = await Promise.all([
      this.#int('cpuacct', 'cpuacct.usage'),
      this.#int('cpuacct', 'cpuacct.usage_user'),
      this.#int('cpuacct', 'cpuacct.usage_sys'),
      this.#keyed('cpu', 'cpu.stat'),
      this.#int('memory', 'memory.usage_in_bytes'),
      this.#int('memory', 'memory.max_usage_in_bytes'),
      this.#int('memory', 'memory.limit_in_bytes'),
      this.#int('memory', 'memory.failcnt'),
      this.oomKills(),
      this.#int('pids', 'pids.current'),
    ]);
    return {
      cpuUsageNanos: usage,
      cpuUserNanos: user,
      cpuSystemNanos: sys,
      cpuThrottledPeriods: Number(cpuStat.get('nr_throttled') ?? 0n),
      cpuThrottledNanos: cpuStat.get('throttled_time') ?? 0n,
      memoryUsageBytes: Number(mem),
      memoryMaxUsageBytes: Number(maxMem),
      ...(limit >= UNLIMITED ? {} : { memoryLimitBytes: Number(limit) }),
      memoryFailCount: Number(failcnt),
      oomKills: oom,
      pids: Number(pids),
    };
  }
}

/**
 * removeCgroups rmdirs the container's leaf (if runc left it) and then each parent up to and
 * including `/corral`, in every hierarchy. A parent still holding another container (this agent's
 * or another agent's) is not empty and stays: rmdir refuses, and that is the point.
 */
export async function removeCgroups(mounts: CgroupMounts, cgroupsPath: string): Promise<void> {
  const parts = cgroupsPath.split('/').filter(p => p !== '');
  for (const root of new Set(mounts.values())) {
    for (let n = parts.length; n > 0; n--) {
      try {
        await rmdir(join(root, ...parts.slice(0, n)));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT') break; // busy or not empty: the parents are in use too
      }
    }
  }
}
