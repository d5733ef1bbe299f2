// The agent's composition root (STYLE rule 3): builds the real runtime, image store, fetcher,
// isolators and API client, starts the agent API, registers, and runs the loops (heartbeats as
// Lease renewals, Task sync, operations, image GC) until stopped. Order matters: the runtime is
// opened first, so a host that cannot run containers says so before anything is written to the
// cluster; the agent API is up before registration, so the record's status can say where it
// listens. An agent an operator marked gone stands down (stand-down.ts): found at registration,
// it destroys what containers it left and throws AgentGoneError; found by a heartbeat, it kills
// its containers, stops its loops, records Ready=False/AgentGone and `done` rejects.
import { mkdir } from 'node:fs/promises';
import { availableParallelism, hostname as osHostname, totalmem } from 'node:os';
import { join } from 'node:path';
import { builtinKinds, Client, corralKinds, isNotFound } from '../core/client/index.ts';
import type { Volume } from '../core/types/volume.ts';
import { systemClock } from '../core/util/clock.ts';
import { containerRoutes } from './agent-api/container-routes.ts';
import { startAgentApi } from './agent-api/server.ts';
import { taskRoutes } from './agent-api/task-routes.ts';
import { FetcherCache } from './fetcher/cache.ts';
import { Fetcher } from './fetcher/fetcher.ts';
import { imageGcConfig, runImageGc } from './image-gc.ts';
import { openImageStore } from './images/index.ts';
import { SeccompIsolator } from './isolation/seccomp-select.ts';
import { PersistentVolumeStore } from './isolation/volumes-store.ts';
import { OperationSync } from './operations/operation-sync.ts';
import { volumeInUse } from './operations/volume-use.ts';
import type { AgentOptions } from './options.ts';
import { AGENT_DEFAULTS, defaultLaunchConcurrency } from './options.ts';
import { agentSpec } from './registration/agent-spec.ts';
import { AgentGoneError } from './registration/agent-gone.ts';
import { FIELD_MANAGER } from './registration/agent-status.ts';
import { markGone, markStopped } from './registration/heartbeat.ts';
import { runHeartbeats } from './registration/heartbeat-loop.ts';
import { readHostFacts } from './registration/host-facts.ts';
import {
  agentResources,
  parseAttributes,
  parseFaultDomain,
} from './registration/host-resources.ts';
import { agentLeaseDurationSeconds } from './registration/leases.ts';
import { registerAgent } from './registration/register.ts';
import { RuncRuntime } from './runtime/index.ts';
import { destroyLeftovers, standDown } from './stand-down.ts';
import { StandaloneContainers } from './standalone/containers.ts';
import { TaskSync } from './sync/task-sync.ts';

export type { AgentOptions } from './options.ts';

/** RunningAgent is a started agent. */
export interface RunningAgent {
  readonly name: string;
  /** apiUrl is the agent API's base URL. */
  readonly apiUrl: string;
  /**
   * done settles when the loops end: resolves after stop(), rejects if one failed, and with
   * AgentGoneError once the agent, marked gone, has killed its containers and stopped.
   */
  readonly done: Promise<void>;
  /** stop ends the agent gracefully; its containers keep running (a stand-down finishes first). */
  stop(): Promise<void>;
  /** idle resolves when no Task sync is queued or running (tests, benchmarks). */
  idle(): Promise<void>;
}

/**
 * startAgent starts an agent and resolves once it is registered and syncing its Tasks. It throws
 * RuntimeUnavailableError (with `missing`) on a host that cannot run containers,
 * RegistrationRefusedError when the cluster refuses its record, and AgentGoneError (after
 * destroying the containers it left) when an operator marked it gone.
 */
export async function startAgent(o: AgentOptions): Promise<RunningAgent> {
  const clock = o.clock ?? systemClock;
  const log = o.logger.child({ agent: o.name });
  const gcConfig = imageGcConfig(o);
  await mkdir(o.workDir, { recursive: true });
  const runtime = await RuncRuntime.open({
    agentId: o.name,
    workDir: o.workDir,
    clock,
    hostMemoryBytes: totalmem(),
    ...(o.runcRoot === undefined ? {} : { runcRoot: o.runcRoot }),
  });
  const seccomp = await SeccompIsolator.create({
    ...(o.seccompProfileDir === undefined ? {} : { profileDir: o.seccompProfileDir }),
    ...(o.seccompDefaultProfile === undefined ? {} : { defaultProfile: o.seccompDefaultProfile }),
  });
  for (const w of seccomp.defaultWarnings) log.warn({ warning: w }, 'default seccomp profile');
  const images = await openImageStore({
    root: join(o.workDir, 'images'),
    clock,
    log,
    ...(o.defaultRegistry === undefined ? {} : { defaultRegistry: o.defaultRegistry }),
  });
  const cache = await FetcherCache.open(
    join(o.workDir, 'fetcher-cache'),
    o.fetcherCacheBytes ?? AGENT_DEFAULTS.fetcherCacheBytes,
  );
  const fetcher = new Fetcher({ clock, cache });
  const volumes = new PersistentVolumeStore(o.workDir);
  const token = o.apiToken ?? o.kubeConfig.getCurrentUser()?.token;
  if (token === undefined || token === '') {
    throw new Error('the agent API needs a bearer token: give apiToken or a kubeconfig with one');
  }
  // no agent reads managedFields: the answers to its writes come without them
  const client = Client.fromKubeConfig(o.kubeConfig, {
    userAgent: `corral-agent/${o.name}`,
    omitManagedFields: true,
  });
  const lookupVolume = (name: string, signal: AbortSignal): Promise<Volume | undefined> =>
    client
      .for(corralKinds.volumes)
      .get({ name }, { signal })
      .catch((e: unknown) => {
        if (isNotFound(e)) return undefined;
        throw e;
      });
  const tasks = new TaskSync({
    client,
    runtime,
    images,
    launch: {
      agentName: o.name,
      workDir: o.workDir,
      images,
      fetcher,
      seccomp,
      volumes,
      allowedHostPathParents: o.allowedHostPathParents ?? [],
      lookupVolume,
    },
    clock,
    logger: log,
    fieldManager: FIELD_MANAGER,
    defaultGraceMs: o.defaultKillGracePeriodMs ?? AGENT_DEFAULTS.defaultKillGracePeriodMs,
    portsIntervalMs: o.portsIntervalMs ?? AGENT_DEFAULTS.portsIntervalMs,
    diskIntervalMs: o.diskIntervalMs ?? AGENT_DEFAULTS.diskIntervalMs,
    concurrency: o.concurrency ?? AGENT_DEFAULTS.concurrency,
    launchConcurrency: o.launchConcurrency ?? defaultLaunchConcurrency(availableParallelism()),
  });
  const operations = new OperationSync({
    client,
    agentName: o.name,
    clock,
    logger: log,
    fieldManager: FIELD_MANAGER,
    volumes,
    inUse: (volume, signal) =>
      volumeInUse({ volume, tasks: tasks.activeTasks(), lookupVolume, signal }),
  });
  const containers = new StandaloneContainers({ runtime, images, seccomp, logger: log });
  const api = await startAgentApi({
    host: o.apiHost ?? AGENT_DEFAULTS.apiHost,
    port: o.apiPort ?? AGENT_DEFAULTS.apiPort,
    token,
    logger: log,
    routes: [
      ...taskRoutes({
        runtime,
        clock,
        workDir: o.workDir,
        taskContainer: (ns, n) => tasks.containerOf(ns, n),
      }),
      ...containerRoutes({ containers, runtime, workDir: o.workDir }),
    ],
  });
  const agents = client.for(corralKinds.agents);
  // abort stops everything; `others` (operations, image GC) stop first when the agent stands
  // down, while the Task sync still runs to kill the containers
  const abort = new AbortController();
  const othersAbort = new AbortController();
  const others = AbortSignal.any([abort.signal, othersAbort.signal]);
  let closing: Promise<void> | undefined;
  const shutdown = (): Promise<void> =>
    (closing ??= (async () => {
      abort.abort();
      await api.close();
      await client.close();
    })());
  let gone: AgentGoneError | undefined;
  let done: Promise<void>;
  try {
    const facts = await readHostFacts(o.workDir);
    const spec = agentSpec({
      hostname: o.hostname ?? osHostname(),
      resources: agentResources(o.resources, facts),
      attributes: parseAttributes(o.attributes),
      ...(o.faultDomain === undefined ? {} : { faultDomain: parseFaultDomain(o.faultDomain) }),
      reconfigurationPolicy: o.reconfigurationPolicy ?? AGENT_DEFAULTS.reconfigurationPolicy,
    });
    await registerAgent({
      api: agents,
      name: o.name,
      spec,
      annotations: {},
      apiEndpoint: api.url,
      clock,
      logger: log,
    }).catch(async (e: unknown) => {
      if (e instanceof AgentGoneError) {
        log.warn({}, 'agent marked gone by an operator: destroying its containers');
        await destroyLeftovers({ runtime, images, logger: log }).catch((err: unknown) =>
          log.error({ err }, 'could not list the containers of a gone agent'),
        );
      }
      throw e;
    });
    const heartbeatIntervalMs = o.heartbeatIntervalMs ?? AGENT_DEFAULTS.heartbeatIntervalMs;
    let ready: () => void = () => undefined;
    const synced = new Promise<void>(resolve => (ready = resolve));
    const loops = Promise.all([
      tasks.run(abort.signal, ready),
      operations.run(others),
      runImageGc({ config: gcConfig, images, clock, logger: log, signal: others }),
    ]);
    const beats = runHeartbeats({
      api: agents,
      leases: client.for(builtinKinds.leases),
      namespaces: client.for(builtinKinds.namespaces),
      name: o.name,
      clock,
      intervalMs: heartbeatIntervalMs,
      statusRefreshMs: o.statusRefreshMs ?? AGENT_DEFAULTS.statusRefreshMs,
      leaseDurationSeconds: agentLeaseDurationSeconds(heartbeatIntervalMs, o.healthTimeoutMs),
      logger: log,
      signal: abort.signal,
    }).catch(async (e: unknown) => {
      if (!(e instanceof AgentGoneError)) throw e;
      // the stand-down, in order: other loops off, containers killed, Task sync off, the record
      gone = e;
      othersAbort.abort();
      await standDown({ tasks, containers, runtime, images, logger: log }).catch((err: unknown) =>
        log.error({ err }, 'stand-down failed'),
      );
      abort.abort();
      await loops.catch(() => undefined);
      await markGone({ api: agents, name: o.name, clock }).catch((err: unknown) =>
        log.warn({ err }, 'could not record the stand-down'),
      );
      await shutdown();
      log.info({}, 'agent marked gone: containers killed; stopped');
      throw e;
    });
    done = Promise.all([beats, loops]).then(() => undefined);
    await Promise.race([synced, done]);
  } catch (e) {
    await shutdown();
    throw e;
  }
  log.info({ api: api.url, workDir: o.workDir }, 'agent started');
  let stopping: Promise<void> | undefined;
  return {
    name: o.name,
    apiUrl: api.url,
    done,
    idle: () => tasks.idle(),
    stop: () =>
      (stopping ??= (async () => {
        if (gone === undefined) abort.abort(); // a stand-down under way finishes first
        await done.catch(() => undefined);
        if (gone !== undefined) return;
        await markStopped({ api: agents, name: o.name, clock }).catch((err: unknown) =>
          log.warn({ err }, 'could not record the stop'),
        );
        await shutdown();
        log.info('agent stopped; containers keep running');
      })()),
  };
}
