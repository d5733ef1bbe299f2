// `corral agent`: one node's agent (DESIGN.md flows 1 and 5), and the in-process agent `corral
// up` starts. A host that cannot run containers (no root, runc, conmon or cgroup v1 controllers)
// is told exactly what is missing; the agent never pretends to run tasks it cannot run.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Logger } from 'pino';
import { pino } from 'pino';
import type { ReconfigurationPolicy } from '../core/types/agent.ts';
import { DEFAULT_AGENT_STATUS_REFRESH_MS } from '../core/types/agent-lease.ts';
import type { AgentOptions, RunningAgent } from '../agent/main.ts';
import { startAgent } from '../agent/main.ts';
import type { RunningHollowAgents } from '../agent/hollow/main.ts';
import { startHollowAgents } from '../agent/hollow/main.ts';
import { AgentGoneError } from '../agent/registration/agent-gone.ts';
import { RegistrationRefusedError } from '../agent/registration/register.ts';
import { RuntimeUnavailableError } from '../agent/runtime/index.ts';
import { agentHealthTimeoutMs } from '../controllers/agents/index.ts';
import { onShutdown } from './shutdown.ts';

/** AgentFlags are the `corral agent` flags. */
export interface AgentFlags {
  kubeconfig?: string;
  name?: string;
  hostname?: string;
  workDir: string;
  runcRoot?: string;
  resources?: string;
  attributes?: string;
  faultDomain?: string;
  reconfigurationPolicy: ReconfigurationPolicy;
  apiHost: string;
  apiPort: number;
  apiTokenFile?: string;
  seccompProfileDir?: string;
  seccompDefaultProfile?: string;
  allowedHostPathParents?: string;
  heartbeatInterval: number;
  statusRefresh: number;
  healthTimeout?: number;
  portsInterval: number;
  diskInterval: number;
  killGracePeriod: number;
  imageGcInterval: number;
  imageGcMaxUnused: number;
  imageDiskHeadroom: number;
  imageStoreMax?: number;
  imageGcExcluded?: string;
  hollow?: number;
  hollowPrefix?: string;
  hollowResources?: string;
  hollowTaskSeconds?: number;
  hollowStartSeconds?: number;
}

// flags of a real agent's node (containers, its API, its identity): meaningless for hollow agents
const REAL_ONLY = [
  ...['name', 'hostname', 'workDir', 'runcRoot', 'resources', 'attributes', 'faultDomain'],
  ...['apiHost', 'apiPort', 'apiTokenFile', 'seccompProfileDir', 'seccompDefaultProfile'],
  ...['allowedHostPathParents', 'portsInterval', 'diskInterval', 'killGracePeriod'],
  ...['imageGcInterval', 'imageGcMaxUnused', 'imageDiskHeadroom', 'imageStoreMax'],
  ...['imageGcExcluded', 'healthTimeout'],
] as const;
const HOLLOW_ONLY = ['hollowPrefix', 'hollowResources', 'hollowTaskSeconds', 'hollowStartSeconds'];

/** misplacedFlags names the given flags that do not fit the mode (hollow or real) chosen. */
export function misplacedFlags(flags: AgentFlags, given: (key: string) => boolean): string[] {
  const wrong = flags.hollow === undefined ? HOLLOW_ONLY : REAL_ONLY;
  const flag = (key: string): string => `--${key.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`)}`;
  return wrong.filter(given).map(flag);
}

/** runHollowCommand is `corral agent --hollow N`: simulated agents, no containers. */
async function runHollowCommand(flags: AgentFlags, logger: Logger): Promise<void> {
  let running: RunningHollowAgents;
  try {
    running = await startHollowAgents({
      kubeConfig: loadKubeConfig(flags.kubeconfig),
      count: flags.hollow ?? 0,
      prefix: flags.hollowPrefix ?? defaultAgentName(),
      reconfigurationPolicy: flags.reconfigurationPolicy,
      heartbeatIntervalMs: flags.heartbeatInterval * 1000,
      statusRefreshMs: flags.statusRefresh * 1000,
      logger,
      ...(flags.hollowResources === undefined ? {} : { resources: flags.hollowResources }),
      ...(flags.hollowTaskSeconds === undefined ? {} : { taskSeconds: flags.hollowTaskSeconds }),
      ...(flags.hollowStartSeconds === undefined ? {} : { startSeconds: flags.hollowStartSeconds }),
    });
  } catch (e) {
    process.stderr.write(`corral agent --hollow: ${explainStartFailure(e, 'hollow')}\n`);
    process.exit(1);
  }
  running.done.catch((err: unknown) => {
    logger.fatal({ err }, 'hollow agents failed');
    process.exit(1);
  });
  onShutdown(() => running.stop());
}

/** defaultAgentName is the host name made into a valid object name (lowercase DNS labels). */
export function defaultAgentName(host = hostname()): string {
  const name = host
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return name === '' ? 'agent' : name.slice(0, 253);
}

/** GONE_MESSAGE is what `corral agent` prints when it stood down because it was marked gone. */
export const GONE_MESSAGE = 'marked gone by an operator; containers killed; stopped';

/**
 * explainStartFailure is the one-line reason an agent could not start (or, for AgentGoneError,
 * why it stopped); hollow agents run no containers, so theirs kill none.
 */
export function explainStartFailure(e: unknown, mode: 'real' | 'hollow' = 'real'): string {
  if (e instanceof RuntimeUnavailableError) {
    return `cannot run containers on this host; missing: ${e.missing.join('; ')}`;
  }
  if (e instanceof AgentGoneError) {
    return mode === 'real' ? `${e.agent} ${GONE_MESSAGE}` : `${e.agent} marked gone by an operator`;
  }
  if (e instanceof RegistrationRefusedError) return `registration refused: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}

function loadKubeConfig(path: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  if (path === undefined) kc.loadFromDefault();
  else kc.loadFromFile(path);
  return kc;
}

/** agentOptions maps the flags onto AgentOptions. */
export function agentOptions(flags: AgentFlags, logger: Logger): AgentOptions {
  const parents = (flags.allowedHostPathParents ?? '').split(',').filter(p => p !== '');
  return {
    kubeConfig: loadKubeConfig(flags.kubeconfig),
    name: flags.name ?? defaultAgentName(),
    workDir: flags.workDir,
    reconfigurationPolicy: flags.reconfigurationPolicy,
    apiHost: flags.apiHost,
    apiPort: flags.apiPort,
    heartbeatIntervalMs: flags.heartbeatInterval * 1000,
    statusRefreshMs: flags.statusRefresh * 1000,
    portsIntervalMs: flags.portsInterval * 1000,
    diskIntervalMs: flags.diskInterval * 1000,
    defaultKillGracePeriodMs: flags.killGracePeriod * 1000,
    imageGcIntervalMs: flags.imageGcInterval * 1000,
    imageGcMaxUnusedMs: flags.imageGcMaxUnused * 1000,
    imageDiskHeadroom: flags.imageDiskHeadroom,
    imageGcExcluded: (flags.imageGcExcluded ?? '').split(',').filter(r => r !== ''),
    allowedHostPathParents: parents,
    logger,
    ...(flags.hostname === undefined ? {} : { hostname: flags.hostname }),
    ...(flags.healthTimeout === undefined ? {} : { healthTimeoutMs: flags.healthTimeout * 1000 }),
    ...(flags.runcRoot === undefined ? {} : { runcRoot: flags.runcRoot }),
    ...(flags.imageStoreMax === undefined
      ? {}
      : { imageStoreMaxBytes: flags.imageStoreMax * 1024 * 1024 }),
    ...(flags.resources === undefined ? {} : { resources: flags.resources }),
    ...(flags.attributes === undefined ? {} : { attributes: flags.attributes }),
    ...(flags.faultDomain === undefined ? {} : { faultDomain: flags.faultDomain }),
    ...(flags.seccompProfileDir === undefined
      ? {}
      : { seccompProfileDir: flags.seccompProfileDir }),
    ...(flags.seccompDefaultProfile === undefined
      ? {}
      : { seccompDefaultProfile: flags.seccompDefaultProfile }),
    ...(flags.apiTokenFile === undefined
      ? {}
      : { apiToken: readFileSync(flags.apiTokenFile, 'utf8').trim() }),
  };
}

/** runAgentCommand is `corral agent`: logs to stdout, stops on SIGINT/SIGTERM (tasks keep running). */
export async function runAgentCommand(flags: AgentFlags, cmd?: Command): Promise<void> {
  const logger = pino({ level: process.env['CORRAL_LOG_LEVEL'] ?? 'info' });
  const misplaced = misplacedFlags(flags, k => cmd?.getOptionValueSource(k) === 'cli');
  if (misplaced.length > 0) {
    const mode = flags.hollow === undefined ? 'only with --hollow' : 'not with --hollow';
    process.stderr.write(`corral agent: ${misplaced.join(', ')}: ${mode}\n`);
    process.exit(2);
  }
  if (flags.hollow !== undefined) return runHollowCommand(flags, logger);
  let agent: RunningAgent;
  try {
    agent = await startAgent(agentOptions(flags, logger));
  } catch (e) {
    process.stderr.write(`corral agent: ${explainStartFailure(e)}\n`);
    process.exit(1);
  }
  agent.done.then(
    () => undefined,
    (err: unknown) => {
      if (err instanceof AgentGoneError)
        process.stderr.write(`corral agent: ${explainStartFailure(err)}\n`);
      else logger.fatal({ err }, 'agent failed');
      process.exit(1);
    },
  );
  onShutdown(() => agent.stop());
}

/** LocalAgentOptions place `corral up`'s agent in its data dir. */
export interface LocalAgentOptions {
  readonly dataDir: string;
  readonly kubeconfigPath: string;
  readonly logger: Logger;
  /** name overrides the agent's name (default: the host name). */
  readonly name?: string;
}

/**
 * startLocalAgent runs `corral up`'s agent in this process, named after the host, its work dir
 * in `<data>/agent`. On a host that cannot run it, it prints the one-line reason and returns
 * undefined: the control plane keeps running without an agent.
 */
export async function startLocalAgent(o: LocalAgentOptions): Promise<RunningAgent | undefined> {
  try {
    const kubeConfig = loadKubeConfig(o.kubeconfigPath);
    const agent = await startAgent({
      kubeConfig,
      name: o.name ?? defaultAgentName(),
      workDir: join(o.dataDir, 'agent'),
      logger: o.logger,
      // `corral up` runs the controllers with their default health timeout
      healthTimeoutMs: agentHealthTimeoutMs(),
    });
    // the control plane keeps running without its agent
    agent.done.catch((e: unknown) =>
      process.stdout.write(`corral up: the agent stopped (${explainStartFailure(e)})\n`),
    );
    return agent;
  } catch (e) {
    process.stdout.write(`corral up: no agent (${explainStartFailure(e)})\n`);
    return undefined;
  }
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('not a non-negative number');
  return n;
}

function fraction(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('not a fraction in [0, 1]');
  return n;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('not a positive integer');
  return n;
}

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError('not a TCP port (0-65535)');
  }
  return n;
}

/** agentCommand is the `corral agent` subcommand. */
export function agentCommand(): Command {
  return new Command('agent')
    .description("run this node's agent: register, heartbeat, run its Tasks through runc")
    .option(
      '--kubeconfig <file>',
      'kubeconfig of the API server (default: $KUBECONFIG or ~/.kube/config)',
    )
    .option('--name <name>', 'Agent name (default: the host name)')
    .option('--hostname <host>', 'host name to register (default: os.hostname())')
    .option(
      '--work-dir <dir>',
      'containers, images, volumes, fetcher cache',
      '/var/lib/corral/agent',
    )
    .option('--runc-root <dir>', "runc's state dir (default /run/corral/<name>/runc)")
    .option(
      '--resources <text>',
      "e.g. 'cpus:4;mem:8192;disk:20000;ports:[31000-32000]' (missing ones detected)",
    )
    .option('--attributes <text>', "e.g. 'rack:r1;zone:a'")
    .option('--fault-domain <region/zone>', 'fault domain, e.g. eu-west/eu-west-1a')
    .addOption(
      new Option('--reconfiguration-policy <policy>', 'changes accepted on re-registration')
        .choices(['equal', 'additive'])
        .default('equal'),
    )
    .option('--api-host <addr>', 'agent API address (loopback only)', '127.0.0.1')
    .option('--api-port <port>', 'agent API port (0: any free port)', portNumber, 0)
    .option('--api-token-file <file>', "agent API bearer token (default: the kubeconfig user's)")
    .option('--seccomp-profile-dir <dir>', 'named seccomp profiles (Mesos --seccomp_config_dir)')
    .option(
      '--seccomp-default-profile <name>',
      "default profile: a name in the dir, 'builtin' or 'unconfined'",
    )
    .option(
      '--allowed-host-path-parents <dirs>',
      'comma-separated parents under which host-path volumes may be created',
    )
    .option(
      '--heartbeat-interval <s>',
      'seconds between heartbeats (Lease renewals)',
      positiveNumber,
      5,
    )
    .option(
      '--status-refresh <s>',
      'seconds between rewrites of an unchanged Agent status',
      positiveNumber,
      DEFAULT_AGENT_STATUS_REFRESH_MS / 1000,
    )
    .option(
      '--health-timeout <s>',
      "the controllers' agent health timeout, as the Lease's duration (default: 4 heartbeats)",
      positiveNumber,
    )
    .option('--ports-interval <s>', 'seconds between port checks', positiveNumber, 30)
    .option('--disk-interval <s>', 'seconds between disk checks', positiveNumber, 15)
    .option('--kill-grace-period <s>', 'default kill grace period', positiveNumber, 3)
    .option(
      '--image-gc-interval <s>',
      'collect unused images every s (0: only when disk runs low)',
      positiveNumber,
      3600,
    )
    .option(
      '--image-gc-max-unused <s>',
      'periodic image GC spares images used within s',
      positiveNumber,
      3600,
    )
    .option(
      '--image-disk-headroom <fraction>',
      'collect images when free disk falls to this (Mesos image_disk_headroom)',
      fraction,
      0.1,
    )
    .option(
      '--image-store-max <MB>',
      'collect images when the image store grows past this',
      positiveNumber,
    )
    .option('--image-gc-excluded <refs>', 'comma-separated images never collected')
    .option('--hollow <n>', 'run N simulated agents, no containers (scale tests)', positiveInt)
    .option('--hollow-prefix <p>', 'hollow agents are hollow-<p>-<i> (default: the host name)')
    .option('--hollow-resources <text>', 'each hollow agent (cpus:24;mem:4096;disk:4096;ports:...)')
    .option(
      '--hollow-task-seconds <s>',
      'simulated run time of a Task (0: until killed; 30)',
      positiveNumber,
    )
    .option('--hollow-start-seconds <s>', 'from TASK_STARTING to TASK_RUNNING (0)', positiveNumber)
    .action(runAgentCommand);
}
