// The control plane of a chaos run as two in-process `corral controllers` processes, each the real
// runControllers with its own lease: the allocator, and the flow controllers (offers, operations,
// tasks, agent health, reservations, volumes). A restart aborts a process and waits until it has
// stopped (informers, workers, lease given up) before a fresh one with new caches starts, so
// whatever it was doing is cut off wherever it was.
import type { KubeConfig } from '@kubernetes/client-node';
import { agentHealthController } from '../../../controllers/agents/index.ts';
import { allocatorComponent } from '../../../controllers/allocator/runnable.ts';
import type { Registration } from '../../../controllers/main.ts';
import { runControllers } from '../../../controllers/main.ts';
import { offerController } from '../../../controllers/offers/index.ts';
import { operationController } from '../../../controllers/operations/index.ts';
import {
  reservationController,
  volumeController,
} from '../../../controllers/reservations/index.ts';
import { taskController } from '../../../controllers/tasks/index.ts';
import { assertNever } from '../../../core/util/assert-never.ts';
import { logger } from './cluster.ts';
import type { Restarted } from './chaos-scenario.ts';

/** HEARTBEAT_MS is the agents' heartbeat interval; five missed make an agent Unreachable. */
export const HEARTBEAT_MS = 100;

type Process = 'allocator' | 'flow';

function components(which: Process): Registration[] {
  switch (which) {
    case 'allocator':
      // short batches, and accepted leftovers held 1 s (not 5) so runs find offers quickly
      return [
        allocatorComponent({
          config: { allocationIntervalMs: 100, acceptSettleMs: 1000, defaultRefuseSeconds: 1 },
        }),
      ];
    case 'flow':
      return [
        offerController(),
        // operations are kept for the whole run, so every answer's records can be counted
        operationController({ retentionMs: 600_000, confirmGraceMs: 300 }),
        taskController(),
        agentHealthController({ agentPingTimeoutMs: 2 * HEARTBEAT_MS, maxAgentPingTimeouts: 5 }),
        reservationController({ retryMs: 300 }),
        volumeController({ retryMs: 300 }),
      ];
    default:
      return assertNever(which, 'controllers process');
  }
}

interface Running {
  readonly abort: AbortController;
  readonly done: Promise<void>;
}

/** ChaosControllers runs, stops and restarts the two processes of one run. */
export class ChaosControllers {
  readonly #kubeConfig: KubeConfig;
  readonly #leaseNamespace: string;
  readonly #running = new Map<Process, Running>();
  readonly #failures: string[] = [];
  #generation = 0;

  constructor(kubeConfig: KubeConfig, leaseNamespace: string) {
    this.#kubeConfig = kubeConfig;
    this.#leaseNamespace = leaseNamespace;
  }

  /** failures are the errors a process ended with (a component failing stops its process). */
  get failures(): readonly string[] {
    return this.#failures;
  }

  /** start starts both processes. */
  start(): void {
    this.#start('allocator');
    this.#start('flow');
  }

  /** restart stops the named processes (really: until they have ended) and starts fresh ones. */
  async restart(which: Restarted): Promise<void> {
    const procs: Process[] = which === 'both' ? ['allocator', 'flow'] : [which];
    await Promise.all(procs.map(p => this.#stop(p)));
    for (const p of procs) this.#start(p);
  }

  /** stop stops both. */
  async stop(): Promise<void> {
    await Promise.all([this.#stop('allocator'), this.#stop('flow')]);
  }

  #start(which: Process): void {
    const abort = new AbortController();
    const identity = `chaos-${which}-${++this.#generation}`;
    const done = runControllers({
      kubeConfig: this.#kubeConfig,
      identity,
      leaseNamespace: this.#leaseNamespace,
      leaseName: `chaos-${which}`,
      runnables: components(which),
      logger: logger.child({ identity }),
      signal: abort.signal,
      leaseDurationMs: 2000,
      renewDeadlineMs: 1500,
      retryPeriodMs: 100,
    }).catch((err: unknown) => {
      this.#failures.push(`${identity} failed: ${String(err)}`);
    });
    this.#running.set(which, { abort, done });
  }

  async #stop(which: Process): Promise<void> {
    const r = this.#running.get(which);
    if (r === undefined) return;
    this.#running.delete(which);
    r.abort.abort();
    await r.done;
  }
}
