// Mesos `network/ports` (mesos-features §8.2): a task may listen only on the ports it was given,
// and only ports inside the agent's isolated range are policed. Polling-based, so it reports
// after the fact and is not a security boundary.
import { readlink } from 'node:fs/promises';
import type { Ranges } from '../../core/resources/index.ts';
import {
  EMPTY_RANGES,
  makeRanges,
  parseResourceList,
  parseResourceMap,
  rangesContains,
} from '../../core/resources/index.ts';
import type { ResourceItem } from '../../core/types/resources.ts';
import type { NetworkMode, TaskTemplateSpec } from '../../core/types/task-template.ts';
import type { ListeningSocket } from './ports-proc.ts';
import { cgroupMembers, descendants, listeningSockets, socketInodes } from './ports-proc.ts';
import { assertNever } from '../../core/util/assert-never.ts';

/** DEFAULT_ISOLATED_RANGE is the range policed unless the agent says otherwise (Mesos's ports). */
export const DEFAULT_ISOLATED_RANGE: Ranges = makeRanges([{ begin: 31000, end: 32000 }]);

/** PortViolation is one listening port the task was not given. */
export interface PortViolation {
  readonly port: number;
  /** The ports the task was given. */
  readonly allowed: Ranges;
}

/** PortsTarget says what to inspect for one container. */
export interface PortsTarget {
  /** The container's init process, as the host sees it. */
  readonly pid: number;
  /**
   * `own`: every listener in the pid's network namespace is the container's. `host`: only the
   * listeners whose socket a container process holds count.
   */
  readonly network: NetworkMode;
  /** The ports the task may listen on. */
  readonly allowed: Ranges;
  /**
   * A `cgroup.procs` file listing the container's processes (host network only). Without it the
   * processes are `pid` and its descendants.
   */
  readonly cgroupProcs?: string;
}

/** CheckPortsOptions is a target plus the range the agent polices. */
export interface CheckPortsOptions extends PortsTarget {
  /** Only listeners on these ports are policed (Mesos `--container_ports_isolated_range`). */
  readonly isolatedRange?: Ranges;
  /** procfs mount, for tests. */
  readonly proc?: string;
}

/** PortsReport lists the policed listeners seen and the ones that break the rules. */
export interface PortsReport {
  readonly listening: readonly number[];
  readonly violations: readonly PortViolation[];
}

async function sharesAgentNetns(pid: number, proc: string): Promise<boolean> {
  try {
    const [mine, theirs] = await Promise.all([
      readlink(`${proc}/self/ns/net`),
      readlink(`${proc}/${pid}/ns/net`),
    ]);
    return mine === theirs;
  } catch {
    return false; // gone, or no namespace links (a test's fake procfs)
  }
}

// The host namespace holds everyone's sockets: keep those a container process owns.
async function ownedBy(o: CheckPortsOptions, all: ListeningSocket[]): Promise<ListeningSocket[]> {
  const proc = o.proc ?? '/proc';
  const pids =
    o.cgroupProcs === undefined
      ? await descendants(o.pid, proc)
      : await cgroupMembers(o.cgroupProcs);
  const mine = await socketInodes(pids, proc);
  return all.filter(s => mine.has(s.inode));
}

async function containerListeners(o: CheckPortsOptions): Promise<ListeningSocket[]> {
  const proc = o.proc ?? '/proc';
  const all = await listeningSockets(o.pid, proc);
  switch (o.network) {
    case 'own':
      // A container said to have its own namespace but sharing the agent's would otherwise be
      // blamed for every listener on the host: filter it like a host-network one.
      return (await sharesAgentNetns(o.pid, proc)) ? ownedBy(o, all) : all;
    case 'host':
      return ownedBy(o, all);
    default:
      return assertNever(o.network, 'network mode');
  }
}

/**
 * checkPorts lists the container's listening TCP/TCP6 ports inside the isolated range (default
 * 31000-32000) and reports each one not in `allowed`. A port is reported once even when bound on
 * several addresses. A container that is gone yields an empty report, never a violation.
 */
export async function checkPorts(options: CheckPortsOptions): Promise<PortsReport> {
  const range = options.isolatedRange ?? DEFAULT_ISOLATED_RANGE;
  const ports = new Set<number>();
  for (const s of await containerListeners(options)) {
    if (rangesContains(range, makeRanges([{ begin: s.port, end: s.port }]))) ports.add(s.port);
  }
  const listening = [...ports].sort((a, b) => a - b);
  const violations = listening
    .filter(port => !rangesContains(options.allowed, makeRanges([{ begin: port, end: port }])))
    .map(port => ({ port, allowed: options.allowed }));
  return { listening, violations };
}

/**
 * allowedPorts is what a task may listen on: on the host network the `ports` resource it holds
 * (from the exact allocation when known, else its request); in its own namespace the container
 * ports it declared, which the agent maps from the allocated host ports.
 */
export function allowedPorts(
  spec: TaskTemplateSpec & { allocatedResources?: ResourceItem[] },
): Ranges {
  if ((spec.networkMode ?? 'host') === 'own') {
    return makeRanges((spec.ports ?? []).map(p => ({ begin: p.port, end: p.port })));
  }
  if (spec.allocatedResources !== undefined) {
    return parseResourceList(spec.allocatedResources).ranges('ports');
  }
  const ports = spec.resources['ports'];
  return ports === undefined ? EMPTY_RANGES : parseResourceMap({ ports }).ranges('ports');
}
