// The `network/ports` isolator loop: poll each container's listeners and report the first round
// that finds a port it was not given (mesos-features §8.2).
import type { Ranges } from '../../core/resources/index.ts';
import { formatRanges, makeRanges, renderRanges } from '../../core/resources/index.ts';
import type { Clock } from '../../core/util/clock.ts';
import type { ContainerLimitation } from './monitor.ts';
import { PollingMonitor } from './monitor.ts';
import type { CheckPortsOptions, PortsReport, PortsTarget, PortViolation } from './ports-check.ts';
import { checkPorts, DEFAULT_ISOLATED_RANGE } from './ports-check.ts';

/** DEFAULT_PORTS_INTERVAL_MS is Mesos's `--container_ports_watch_interval` (30s). */
export const DEFAULT_PORTS_INTERVAL_MS = 30_000;

/** PortsMonitorOptions configures a ports monitor. */
export interface PortsMonitorOptions {
  readonly clock: Clock;
  readonly intervalMs?: number;
  /** The range policed (Mesos `--container_ports_isolated_range`); default 31000-32000. */
  readonly isolatedRange?: Ranges;
  readonly onLimitation: (limitation: ContainerLimitation) => void;
  readonly onError?: (containerId: string, error: unknown) => void;
  /** Replaces `checkPorts`, for tests. */
  readonly check?: (options: CheckPortsOptions) => Promise<PortsReport>;
}

/**
 * portsLimitation turns violations into the limitation the agent reports: reason
 * REASON_CONTAINER_LIMITATION (what Mesos uses for ports) and the offending ports as the
 * `ports` resource of `limitation.resources`.
 */
export function portsLimitation(
  containerId: string,
  violations: readonly PortViolation[],
): ContainerLimitation {
  const bad = makeRanges(violations.map(v => ({ begin: v.port, end: v.port })));
  const allowed = violations[0]?.allowed ?? makeRanges([]);
  return {
    containerId,
    reason: 'REASON_CONTAINER_LIMITATION',
    message:
      `Container ${containerId} is listening on unallocated port(s) ${formatRanges(bad)}; ` +
      `allocated ports: ${formatRanges(allowed)}`,
    resources: { ports: renderRanges(bad) },
  };
}

/**
 * PortsMonitor polls watched containers (`watch(containerId, PortsTarget)`) every interval
 * (default 30s) and calls `onLimitation` once per container that listens, inside the isolated
 * range, on a port it was not given. Enforcement (killing) is the agent's call, as with Mesos's
 * `--enforce_container_ports`.
 */
export class PortsMonitor extends PollingMonitor<PortsTarget> {
  constructor(options: PortsMonitorOptions) {
    const check = options.check ?? checkPorts;
    const isolatedRange = options.isolatedRange ?? DEFAULT_ISOLATED_RANGE;
    super({
      clock: options.clock,
      intervalMs: options.intervalMs ?? DEFAULT_PORTS_INTERVAL_MS,
      onLimitation: options.onLimitation,
      ...(options.onError === undefined ? {} : { onError: options.onError }),
      check: async (containerId, target) => {
        const report = await check({ ...target, isolatedRange });
        return report.violations.length === 0
          ? undefined
          : portsLimitation(containerId, report.violations);
      },
    });
  }
}
