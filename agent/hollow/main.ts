// The composition root of a hollow-agent process (`corral agent --hollow N`), kubemark's idea
// for Corral: N simulated agents that register, heartbeat, take Tasks through their states and
// confirm Operations exactly as real agents do, through the same code, but run no containers,
// so the control plane can be measured with thousands of agents on one machine. They share one
// API client (one connection pool), one Agent, one Task and one Operation watch, bounded write lanes;
// they heartbeat by renewing Leases (core/types/agent-lease.ts), the status at a slow refresh.
import {
  builtinKinds,
  Client,
  corralKinds,
  WITHOUT_MANAGED_FIELDS,
  makeSharedInformer,
} from '../../core/client/index.ts';
import type { Agent } from '../../core/types/agent.ts';
import { systemClock } from '../../core/util/clock.ts';
import { agentSpec } from '../registration/agent-spec.ts';
import { FIELD_MANAGER } from '../registration/agent-status.ts';
import { HollowHeartbeats } from './heartbeats.ts';
import { ensureLeaseNamespace } from '../registration/leases.ts';
import { quieter } from './log.ts';
import { HollowOperationSync } from './operation-sync.ts';
import type { HollowOptions } from './options.ts';
import { HOLLOW_DEFAULTS, HOLLOW_LABEL, hollowName } from './options.ts';
import { registerFleet } from './register-fleet.ts';
import { hollowResources } from './resources.ts';
import { HollowTaskSync } from './task-sync.ts';

export type { HollowOptions } from './options.ts';

/** HollowStats are the process's counters, for benchmarks and the stop log. */
export interface HollowStats {
  /** heartbeats counts Lease renewals; statusWrites the status refreshes. */
  readonly heartbeats: number;
  readonly statusWrites: number;
  readonly failingHeartbeats: number;
  /** tasksReached counts the Task states the agents wrote, by state. */
  readonly tasksReached: Readonly<Record<string, number>>;
}

/** RunningHollowAgents is a started fleet of hollow agents. */
export interface RunningHollowAgents {
  readonly names: readonly string[];
  /** registerMs is how long registering all of them took (start: that, then watches synced). */
  readonly registerMs: number;
  /** done settles when the loops end: resolves after stop(), rejects if one failed. */
  readonly done: Promise<void>;
  stats(): HollowStats;
  /** idle resolves when no Task pass is queued or running (tests, benchmarks). */
  idle(): Promise<void>;
  /** stop ends every loop and marks every agent Ready=False/AgentStopped. */
  stop(): Promise<void>;
}

const PREFIX = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;
const MiB = 1024 * 1024;

function check(o: HollowOptions): void {
  if (!Number.isInteger(o.count) || o.count < 1) {
    throw new RangeError(`hollow agent count must be a positive integer, not ${o.count}`);
  }
  if (!PREFIX.test(o.prefix) || hollowName(o.prefix, o.count - 1).length > 253) {
    throw new RangeError(`hollow prefix "${o.prefix}" does not make valid agent names`);
  }
}

/**
 * startHollowAgents registers `count` hollow agents and resolves once all are registered,
 * heartbeating and watching Tasks and Operations. It throws RangeError on bad options,
 * ResourceParseError on bad resources, RegistrationRefusedError when the cluster refuses a record.
 */
export async function startHollowAgents(o: HollowOptions): Promise<RunningHollowAgents> {
  check(o);
  const clock = o.clock ?? systemClock;
  const log = o.logger.child({ hollow: o.prefix });
  const d = { ...HOLLOW_DEFAULTS, ...withoutUndefined(o) };
  const names = Array.from({ length: o.count }, (_, i) => hollowName(o.prefix, i));
  const owned = new Set(names);
  const owns = (agent: string): boolean => owned.has(agent);
  const resources = hollowResources(o.resources);
  // one pooled connection per write lane, so that the lanes' caps, not the pool, bound the writes
  // in flight (the Operation lane's 8 included)
  const lanes = Math.max(d.registerConcurrency, d.heartbeatConcurrency) + d.taskConcurrency + 8;
  const client = Client.fromKubeConfig(o.kubeConfig, {
    userAgent: `corral-agent/hollow-${o.prefix}`,
    maxSockets: lanes,
    // no agent reads managedFields: the answers to its writes come without them
    omitManagedFields: true,
  });
  const abort = new AbortController();
  const signal = abort.signal;
  const started = clock.now();
  let done: Promise<void>;
  let registerMs = 0;
  let preconnected = 0;
  let heartbeats: HollowHeartbeats;
  let tasks: HollowTaskSync;
  try {
    const agents = client.for(corralKinds.agents);
    const registered = await registerFleet({
      api: agents,
      names,
      spec: name =>
        agentSpec({
          hostname: name,
          resources,
          attributes: {},
          reconfigurationPolicy: d.reconfigurationPolicy,
        }),
      labels: { [HOLLOW_LABEL]: 'true' },
      concurrency: d.registerConcurrency,
      clock,
      logger: quieter(log),
      signal,
    });
    registerMs = clock.now() - started;
    await ensureLeaseNamespace(client.for(builtinKinds.namespaces), signal);
    heartbeats = new HollowHeartbeats({
      api: agents,
      leases: client.for(builtinKinds.leases),
      agents: registered,
      intervalMs: d.heartbeatIntervalMs,
      statusRefreshMs: d.statusRefreshMs,
      concurrency: d.heartbeatConcurrency,
      clock,
      logger: log,
    });
    const informer = { clock, logger: log, ...WITHOUT_MANAGED_FIELDS };
    // the fleet's own records: a status the health controller changed is answered at once
    const agentInformer = makeSharedInformer(agents, {
      ...informer,
      labelSelector: `${HOLLOW_LABEL}=true`,
    });
    const seen = (a: Agent): void => heartbeats.observed(a);
    agentInformer.on({ add: seen, update: (_old, a) => seen(a) });
    const taskInformer = makeSharedInformer(client.for(corralKinds.tasks), informer);
    const opInformer = makeSharedInformer(client.for(corralKinds.operations), informer);
    tasks = new HollowTaskSync({
      informer: taskInformer,
      api: client.for(corralKinds.tasks),
      owns,
      timing: { startMs: d.startSeconds * 1000, runMs: d.taskSeconds * 1000 },
      concurrency: d.taskConcurrency,
      clock,
      logger: log,
      fieldManager: FIELD_MANAGER,
    });
    const operations = new HollowOperationSync({
      client,
      operations: opInformer,
      tasks: taskInformer,
      owns,
      clock,
      logger: log,
      fieldManager: FIELD_MANAGER,
    });
    done = Promise.all([
      heartbeats.run(signal),
      agentInformer.run(signal),
      taskInformer.run(signal),
      opInformer.run(signal),
      tasks.run(signal),
      operations.run(signal),
    ]).then(() => undefined);
    const synced = Promise.all(
      [agentInformer, taskInformer, opInformer].map(i => i.waitForSync(signal)),
    );
    await Promise.race([synced, done]);
    // A real fleet's agents each hold their connection from registration on, so the first burst
    // of Tasks finds them open. The fleet's shared pool has opened only what registration and
    // heartbeats needed; left so, that burst would wait on a few hundred TLS handshakes at once.
    preconnected = await client.preconnect(lanes);
  } catch (e) {
    abort.abort();
    await client.close();
    throw e;
  }
  const startMs = clock.now() - started;
  const mem = process.memoryUsage();
  log.info(
    {
      agents: o.count,
      first: names[0],
      last: names.at(-1),
      registerMs,
      startMs,
      preconnected,
      rssMiB: Math.round(mem.rss / MiB),
      heapUsedMiB: Math.round(mem.heapUsed / MiB),
    },
    'hollow agents started (simulated: no containers run)',
  );
  const stats = (): HollowStats => ({
    heartbeats: heartbeats.beats,
    statusWrites: heartbeats.statusWrites,
    failingHeartbeats: heartbeats.failing,
    tasksReached: tasks.reached(),
  });
  let stopping: Promise<void> | undefined;
  return {
    names,
    registerMs,
    done,
    stats,
    idle: () => tasks.idle(),
    stop: () =>
      (stopping ??= (async () => {
        abort.abort();
        await done.catch(() => undefined);
        await heartbeats.markAllStopped();
        await client.close();
        log.info(
          { ...stats(), rssMiB: Math.round(process.memoryUsage().rss / MiB) },
          'hollow agents stopped',
        );
      })()),
  };
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
