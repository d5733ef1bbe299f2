// Watches a running Task's container: its end (ExitWatcher), its ports and disk (the isolators'
// monitors), its health checks and its max completion time. Nothing here writes status or kills:
// each finding is recorded as a kill cause or a health verdict on the LocalTask, and the Task is
// enqueued, so the reconciler stays the one place that acts.
import type { Logger } from 'pino';
import type { Task } from '../../core/types/task.ts';
import type { Clock } from '../../core/util/clock.ts';
import { runHealthChecks } from '../health/checker.ts';
import { healthSettings } from '../health/machine.ts';
import { probeFor } from '../health/probes.ts';
import type { DiskMonitor } from '../isolation/disk-monitor.ts';
import { diskTarget } from '../isolation/disk-monitor.ts';
import { allowedPorts } from '../isolation/ports-check.ts';
import type { PortsMonitor } from '../isolation/ports-monitor.ts';
import { containerPaths } from '../runtime/index.ts';
import type { ContainerRuntime } from '../runtime/types.ts';
import type { KillCause } from '../status/observation.ts';
import type { ExitWatcher } from './exit-watcher.ts';
import type { LocalTask } from './local-tasks.ts';

/** SupervisorDeps are the watchers a Supervisor drives. */
export interface SupervisorDeps {
  readonly workDir: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly runtime: Pick<ContainerRuntime, 'exec'>;
  readonly exits: ExitWatcher;
  readonly ports: PortsMonitor;
  readonly disk: DiskMonitor;
  /** kill records a cause and enqueues the Task; the reconciler kills. */
  readonly kill: (local: LocalTask, cause: KillCause) => void;
  /** changed enqueues the Task (a new health verdict to report). */
  readonly changed: (local: LocalTask) => void;
}

/** Supervisor starts and stops the watching of running Task containers. */
export class Supervisor {
  readonly #d: SupervisorDeps;

  constructor(deps: SupervisorDeps) {
    this.#d = deps;
  }

  /** supervise starts watching `local`'s running container (once; later calls do nothing). */
  supervise(local: LocalTask, task: Task): void {
    if (local.supervision !== undefined) return;
    const d = this.#d;
    const stop = new AbortController();
    local.supervision = stop;
    const id = local.containerId;
    const since = local.since ?? d.clock.now();
    d.exits.watch(id);
    const pid = local.pid ?? 0;
    const network = task.spec.networkMode ?? 'host';
    if (pid > 0) d.ports.watch(id, { pid, network, allowed: allowedPorts(task.spec) });
    const sandbox = containerPaths(d.workDir, id).defaultSandbox;
    d.disk.watch(id, diskTarget(sandbox, task.spec.resources, local.disks ?? []));
    const hc = task.spec.healthCheck;
    if (hc !== undefined && pid > 0) {
      const settings = healthSettings(hc);
      const probe = probeFor(hc, {
        runtime: d.runtime,
        containerId: id,
        pid,
        network,
        timeoutMs: settings.timeoutMs,
      });
      runHealthChecks({
        settings,
        probe,
        clock: d.clock,
        startedAt: since,
        signal: stop.signal,
        onVerdict: v => {
          d.logger.info({ task: local.key, healthy: v.report, kill: v.kill }, v.why);
          if (v.report !== undefined) local.healthy = v.report;
          if (v.kill) d.kill(local, { kind: 'unhealthy', message: `Task killed: ${v.why}` });
          else d.changed(local);
        },
      }).catch((err: unknown) => d.logger.error({ task: local.key, err }, 'health checks failed'));
    }
    const max = task.spec.maxCompletionTimeSeconds;
    if (max !== undefined) {
      const left = Math.max(0, since + max * 1000 - d.clock.now());
      d.clock.sleep(left, stop.signal).then(
        () => d.kill(local, { kind: 'maxCompletion', seconds: max }),
        () => undefined,
      );
    }
  }

  /** unsupervise stops every watch of `local` (idempotent). */
  unsupervise(local: LocalTask): void {
    local.supervision?.abort();
    local.supervision = undefined;
    this.#d.exits.unwatch(local.containerId);
    this.#d.ports.unwatch(local.containerId);
    this.#d.disk.unwatch(local.containerId);
  }
}
