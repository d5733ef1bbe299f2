import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { KubeConfig } from '@kubernetes/client-node';
import type { Command } from 'commander';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { AllocatorFlags } from '../controllers/allocator/flags.ts';
import { allocatorConfig } from '../controllers/allocator/flags.ts';
import { allocatorComponent } from '../controllers/allocator/runnable.ts';
import type { ConfigInput } from '../controllers/allocator/config.ts';
import { agentHealthController } from '../controllers/agents/index.ts';
import { frameworkController } from '../controllers/frameworks/index.ts';
import type { OfferFlowConfig, OfferFlowFlags } from '../controllers/offers/flags.ts';
import { countFlag, offerFlowConfig, splitOfferFlowFlags } from '../controllers/offers/flags.ts';
import { DEFAULT_OFFER_WORKERS, offerController } from '../controllers/offers/index.ts';
import { operationController } from '../controllers/operations/index.ts';
import { reservationController, volumeController } from '../controllers/reservations/index.ts';
import { taskController } from '../controllers/tasks/index.ts';
import type { ControllerContext, Registration } from '../controllers/main.ts';
import { DEFAULT_API_CONNECTIONS, runControllers } from '../controllers/main.ts';
import {
  DEFAULT_METRICS_BIND_ADDRESS,
  parseBindAddress,
} from '../controllers/metrics/bind-address.ts';
import type { Runnable } from '../controllers/runtime/runnable.ts';
import { onShutdown } from './shutdown.ts';

/** ControllersFlags are the `corral controllers` flags. */
export interface ControllersFlags extends AllocatorFlags, OfferFlowFlags {
  kubeconfig?: string;
  id?: string;
  leaseNamespace: string;
  metricsBindAddress: string;
  apiConnections?: string;
}

/** withAllocatorFlags declares the allocator's flags on a command (`corral controllers`). */
export function withAllocatorFlags(cmd: Command): Command {
  return cmd
    .option('--allocation-interval <duration>', 'allocation batch period (e.g. 1s, 200ms)', '1s')
    .option('--fairness-excluded-resource-names <names>', 'comma-separated, left out of DRF shares')
    .option(
      '--min-allocatable-resources <text>',
      'smallest offer, Mesos syntax',
      'cpus:0.01|mem:32',
    )
    .option('--offer-timeout <duration>', 'rescind offers unanswered this long (default: never)')
    .option('--default-refuse-seconds <n>', 'filter of a decline that names none', '5');
}

/** withOfferFlowFlags declares the offer-flow controllers' flags (agent health, operations). */
export function withOfferFlowFlags(cmd: Command): Command {
  return cmd
    .option('--agent-ping-timeout <duration>', 'Mesos --agent_ping_timeout', '15s')
    .option('--max-agent-ping-timeouts <n>', 'missed pings before an agent is Unreachable', '5')
    .option('--operation-retention <duration>', 'acknowledged operations stay this long', '15m')
    .option('--operation-confirm-grace <duration>', 'agent time to confirm a RESERVE', '10s')
    .option('--reservation-retry <duration>', 'retry of a refused operator change', '10s')
    .option('--framework-timeout <duration>', 'a framework unrenewed this long is inactive', '30s')
    .option(
      '--missing-agent-grace <duration>',
      'Tasks of a deleted Agent are settled as gone after this long',
      '30s',
    )
    .option(
      '--offer-workers <n>',
      'answered offers handled at once',
      String(DEFAULT_OFFER_WORKERS),
    );
}

/**
 * withServingFlags declares the controllers' network flags: where they serve /healthz, /readyz
 * and /metrics, and how many connections they keep to the API server.
 */
export function withServingFlags(cmd: Command): Command {
  return cmd
    .option(
      '--metrics-bind-address <host:port>',
      'plain-HTTP /healthz, /readyz, /metrics; ":port" for all interfaces, 0 to disable',
      DEFAULT_METRICS_BIND_ADDRESS,
    )
    .option(
      '--api-connections <n>',
      'connections to the API server for requests',
      String(DEFAULT_API_CONNECTIONS),
    );
}

/** Settings are what components read of the process's flags. */
interface Settings {
  readonly allocator: ConfigInput;
  readonly offerFlow: OfferFlowConfig;
}

/** Component is a Registration, or a factory that also reads the settings. */
type Component = Registration | ((ctx: ControllerContext, settings: Settings) => Runnable);

/** DEFAULT_LEASE_NAMESPACE is where the controllers' lease lives (created when missing). */
export const DEFAULT_LEASE_NAMESPACE = 'corral-system';

/** CONTROLLERS: the components `corral controllers` and `corral up` run. */
const CONTROLLERS: readonly Component[] = [
  (ctx, settings) => allocatorComponent({ config: settings.allocator })(ctx),
  (ctx, settings) => offerController(settings.offerFlow.offers)(ctx),
  (ctx, settings) => operationController(settings.offerFlow.operations)(ctx),
  (ctx, settings) => taskController(settings.offerFlow.tasks)(ctx),
  (ctx, settings) => frameworkController(settings.offerFlow.frameworks)(ctx),
  (ctx, settings) => agentHealthController(settings.offerFlow.agents)(ctx),
  (ctx, settings) => reservationController(settings.offerFlow.reservations)(ctx),
  (ctx, settings) => volumeController(settings.offerFlow.reservations)(ctx),
];

/** StartControllersOptions say which API server to use and how to log. */
export interface StartControllersOptions {
  /** kubeconfigPath: absent means $KUBECONFIG or ~/.kube/config. */
  readonly kubeconfigPath?: string;
  /** identity: absent means `<hostname>_<random uuid>`, unique per process as the lease needs. */
  readonly identity?: string;
  readonly leaseNamespace?: string;
  /** allocator flags; absent ones take their defaults. */
  readonly allocator?: AllocatorFlags;
  /** offer-flow controllers' flags (agent health, operations, reservations); same rule. */
  readonly offerFlow?: OfferFlowFlags;
  /** metricsBindAddress: `host:port` of /healthz, /readyz, /metrics; absent, '' or '0': none. */
  readonly metricsBindAddress?: string;
  /** apiConnections: `--api-connections`, connections for plain requests; 128. */
  readonly apiConnections?: string;
  readonly logger: Logger;
}

/** RunningControllers is a started controllers manager. */
export interface RunningControllers {
  /** done settles when the manager stops: resolves after stop(), rejects if a component failed. */
  readonly done: Promise<void>;
  /** stop aborts the manager (which releases its lease) and waits for it. */
  stop(): Promise<void>;
}

/**
 * startControllers runs the leader-elected controllers in this process until stopped; it throws
 * a RangeError naming the flag when an allocator flag is invalid.
 */
export function startControllers(opts: StartControllersOptions): RunningControllers {
  const settings: Settings = {
    allocator: allocatorConfig(opts.allocator ?? {}),
    offerFlow: offerFlowConfig(opts.offerFlow ?? {}),
  };
  const metrics = parseBindAddress(opts.metricsBindAddress ?? '0');
  const apiConnections = countFlag('api-connections', opts.apiConnections);
  const kubeConfig = new KubeConfig();
  if (opts.kubeconfigPath === undefined) kubeConfig.loadFromDefault();
  else kubeConfig.loadFromFile(opts.kubeconfigPath);
  const abort = new AbortController();
  const done = runControllers({
    kubeConfig,
    identity: opts.identity ?? `${hostname()}_${randomUUID()}`,
    leaseNamespace: opts.leaseNamespace ?? DEFAULT_LEASE_NAMESPACE,
    runnables: CONTROLLERS.map(c =>
      typeof c === 'function' ? (ctx: ControllerContext) => c(ctx, settings) : c,
    ),
    logger: opts.logger,
    signal: abort.signal,
    metrics,
    ...(apiConnections === undefined ? {} : { apiConnections }),
  });
  return {
    done,
    async stop() {
      abort.abort();
      await done.catch(() => undefined);
    },
  };
}

function optionsOf(f: ControllersFlags): Omit<StartControllersOptions, 'logger'> {
  const { kubeconfig, id, leaseNamespace, metricsBindAddress, apiConnections, ...rest } = f;
  const { offerFlow, others: allocator } = splitOfferFlowFlags(rest);
  return {
    leaseNamespace,
    metricsBindAddress,
    allocator,
    offerFlow,
    ...(kubeconfig === undefined ? {} : { kubeconfigPath: kubeconfig }),
    ...(id === undefined ? {} : { identity: id }),
    ...(apiConnections === undefined ? {} : { apiConnections }),
  };
}

/** runControllersCommand is `corral controllers`: logs to stdout, stops on SIGINT/SIGTERM. */
export function runControllersCommand(flags: ControllersFlags): void {
  const logger = pino({ level: process.env['CORRAL_LOG_LEVEL'] ?? 'info' });
  let running: RunningControllers;
  try {
    running = startControllers({ logger, ...optionsOf(flags) });
  } catch (err) {
    process.stderr.write(`corral controllers: ${(err as Error).message}\n`);
    process.exit(2);
  }
  running.done.then(
    () => undefined,
    (err: unknown) => {
      logger.fatal({ err }, 'controllers failed');
      process.exit(1);
    },
  );
  onShutdown(() => running.stop());
}
