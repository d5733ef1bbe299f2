import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { Registration } from '../controllers/main.ts';
import { runControllers } from '../controllers/main.ts';
import { onShutdown } from './shutdown.ts';

/** ControllersFlags are the `corral controllers` flags. */
export interface ControllersFlags {
  kubeconfig?: string;
  id?: string;
  leaseNamespace: string;
}

/** DEFAULT_LEASE_NAMESPACE is where the controllers' lease lives (created when missing). */
export const DEFAULT_LEASE_NAMESPACE = 'corral-system';

/** CONTROLLERS: the components `corral controllers` and `corral up` run; the allocator joins here. */
const CONTROLLERS: readonly Registration[] = [];

/** StartControllersOptions say which API server to use and how to log. */
export interface StartControllersOptions {
  /** kubeconfigPath: absent means $KUBECONFIG or ~/.kube/config. */
  readonly kubeconfigPath?: string;
  /** identity: absent means `<hostname>_<random uuid>`, unique per process as the lease needs. */
  readonly identity?: string;
  readonly leaseNamespace?: string;
  readonly logger: Logger;
}

/** RunningControllers is a started controllers manager. */
export interface RunningControllers {
  /** done settles when the manager stops: resolves after stop(), rejects if a component failed. */
  readonly done: Promise<void>;
  /** stop aborts the manager (which releases its lease) and waits for it. */
  stop(): Promise<void>;
}

/** startControllers runs the leader-elected controllers in this process until stopped. */
export function startControllers(opts: StartControllersOptions): RunningControllers {
  const kubeConfig = new KubeConfig();
  if (opts.kubeconfigPath === undefined) kubeConfig.loadFromDefault();
  else kubeConfig.loadFromFile(opts.kubeconfigPath);
  const abort = new AbortController();
  const done = runControllers({
    kubeConfig,
    identity: opts.identity ?? `${hostname()}_${randomUUID()}`,
    leaseNamespace: opts.leaseNamespace ?? DEFAULT_LEASE_NAMESPACE,
    runnables: CONTROLLERS,
    logger: opts.logger,
    signal: abort.signal,
  });
  return {
    done,
    async stop() {
      abort.abort();
      await done.catch(() => undefined);
    },
  };
}

/** runControllersCommand is `corral controllers`: logs to stdout, stops on SIGINT/SIGTERM. */
export function runControllersCommand(flags: ControllersFlags): void {
  const logger = pino({ level: process.env['CORRAL_LOG_LEVEL'] ?? 'info' });
  const running = startControllers({
    logger,
    leaseNamespace: flags.leaseNamespace,
    ...(flags.kubeconfig === undefined ? {} : { kubeconfigPath: flags.kubeconfig }),
    ...(flags.id === undefined ? {} : { identity: flags.id }),
  });
  running.done.then(
    () => undefined,
    (err: unknown) => {
      logger.fatal({ err }, 'controllers failed');
      process.exit(1);
    },
  );
  onShutdown(() => running.stop());
}
