// A real API server (over the shared etcd) with the offer-flow controllers running in-process,
// plus the parts of a cluster the tests play themselves: the allocator (Offers written through the
// typed client, as it would), the framework (answers) and the agent (heartbeats, confirmations).
import { pino } from 'pino';
import type { ResourceClient } from '../../../core/client/index.ts';
import { Client, builtinKinds, corralKinds } from '../../../core/client/index.ts';
import { ORIGIN_ANNOTATION } from '../../../core/framework/index.ts';
import type { Resources } from '../../../core/resources/index.ts';
import type {
  Agent,
  Framework,
  FrameworkCapability,
  KubeObject,
  Offer,
  OfferResponse,
  Task,
  TaskState,
} from '../../../core/types/index.ts';
import { CORRAL_API_VERSION } from '../../../core/types/index.ts';
import { agentHealthController } from '../../../controllers/agents/index.ts';
import type { Registration } from '../../../controllers/main.ts';
import { runControllers } from '../../../controllers/main.ts';
import { offerController } from '../../../controllers/offers/index.ts';
import { operationController } from '../../../controllers/operations/index.ts';
import {
  reservationController,
  volumeController,
} from '../../../controllers/reservations/index.ts';
import { taskController } from '../../../controllers/tasks/index.ts';
import type { TestApiServer } from '../../helpers/api-server.ts';
import { startTestApiServer } from '../../helpers/api-server.ts';
import { eventually } from '../../helpers/eventually.ts';
import { ALL_AGENT_CAPS, ROLE, items } from '../../unit/controllers/offers/engine/builders.ts';

/** logger prints nothing unless CORRAL_TEST_LOG is set. */
export const logger = pino({ level: process.env['CORRAL_TEST_LOG'] ?? 'silent' });

/** PING_MS × 5 is the agent timeout the tests run with (2 s). */
export const PING_MS = 400;

/** RETENTION_MS keeps acknowledged operations (and stand-ins of refused launches) this long. */
export const RETENTION_MS = 1000;

/** FlowOptions vary the controllers' timings for one test. */
export interface FlowOptions {
  /** standInRetentionMs keeps refused launches' stand-ins this long (RETENTION_MS by default). */
  readonly standInRetentionMs?: number;
}

/** flowControllers are the issue-5 controllers with test timeouts. */
export function flowControllers(o: FlowOptions = {}): Registration[] {
  return [
    offerController(),
    operationController({ retentionMs: RETENTION_MS, confirmGraceMs: 500 }),
    taskController({ standInRetentionMs: o.standInRetentionMs ?? RETENTION_MS }),
    agentHealthController({ agentPingTimeoutMs: PING_MS, maxAgentPingTimeouts: 5 }),
    reservationController({ retryMs: 300 }),
    volumeController({ retryMs: 300 }),
  ];
}

/** Flow is a running API server and (optionally) controllers. */
export interface Flow {
  readonly api: TestApiServer;
  readonly client: Client;
  /** stopControllers stops the controllers (the API keeps running). */
  stopControllers(): Promise<void>;
  /** startControllers starts (again) the given controllers. */
  startControllers(runnables?: readonly Registration[]): void;
  stop(): Promise<void>;
}

let leases = 0;

/** startFlow starts an API server with the CRDs and, unless told not to, the controllers. */
export async function startFlow(withControllers = true): Promise<Flow> {
  const api = await startTestApiServer({ crdDir: 'crds' });
  const client = Client.fromKubeConfig(api.kubeConfig);
  let running: { abort: AbortController; done: Promise<void> } | undefined;
  const leaseNamespace = `corral-test-${++leases}`;
  const flow: Flow = {
    api,
    client,
    startControllers(runnables = flowControllers()) {
      const abort = new AbortController();
      const done = runControllers({
        kubeConfig: api.kubeConfig,
        identity: `test-${Math.random().toString(36).slice(2)}`,
        leaseNamespace,
        runnables,
        logger,
        signal: abort.signal,
        leaseDurationMs: 2000,
        renewDeadlineMs: 1500,
        retryPeriodMs: 200,
      });
      running = { abort, done };
    },
    async stopControllers() {
      if (running === undefined) return;
      running.abort.abort();
      await running.done.catch(() => undefined);
      running = undefined;
    },
    async stop() {
      await flow.stopControllers();
      await client.close();
      await api.stop();
    },
  };
  if (withControllers) flow.startControllers();
  return flow;
}

let seq = 0;

/** unique makes a DNS-safe name unique to this run. */
export function unique(prefix: string): string {
  return `${prefix}-${(++seq).toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}

/** makeNamespace creates a framework namespace. */
export async function makeNamespace(client: Client): Promise<string> {
  const name = unique('fw');
  await client.for(builtinKinds.namespaces).create({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  });
  return name;
}

/** makeAgent registers an agent with these unreserved resources and every capability. */
export async function makeAgent(client: Client, resources: Record<string, string>): Promise<Agent> {
  const name = unique('agent');
  const agent: Agent = {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Agent',
    metadata: { name },
    spec: {
      hostname: `${name}.example`,
      resources,
      capabilities: [...ALL_AGENT_CAPS],
      reconfigurationPolicy: 'equal',
    },
  };
  const created = await client.for(corralKinds.agents).create(agent);
  await heartbeat(client, name);
  return created;
}

/** heartbeat writes one heartbeat of the agent, as the agent does. */
export async function heartbeat(client: Client, name: string): Promise<void> {
  const api = client.for(corralKinds.agents);
  for (let attempt = 0; attempt < 5; attempt++) {
    const a = await api.get({ name });
    const now = new Date().toISOString();
    const others = (a.status?.conditions ?? []).filter(c => c.type !== 'Ready');
    a.status = {
      ...a.status,
      lastHeartbeatTime: now,
      conditions: [
        ...others,
        { type: 'Ready', status: 'True', reason: 'AgentReady', lastTransitionTime: now },
      ],
    };
    try {
      await api.updateStatus(a);
      return;
    } catch {
      // a controller wrote meanwhile: read again
    }
  }
}

/** keepBeating heartbeats every PING_MS until the returned function is called. */
export function keepBeating(client: Client, name: string): () => void {
  let on = true;
  void (async () => {
    while (on) {
      await heartbeat(client, name).catch(() => undefined);
      await new Promise(r => setTimeout(r, PING_MS));
    }
  })();
  return () => {
    on = false;
  };
}

/** makeFramework registers the framework `fw` in `ns`. */
export async function makeFramework(
  client: Client,
  ns: string,
  caps: readonly FrameworkCapability[] = [
    'MULTI_ROLE',
    'RESERVATION_REFINEMENT',
    'SHARED_RESOURCES',
  ],
  failoverTimeoutSeconds?: number,
): Promise<Framework> {
  // The API server's namespace admission works from a cache that may not hold a namespace
  // created a moment ago (kube-apiserver reads it live on a miss): retry while it catches up.
  return eventually(() =>
    client.for(corralKinds.frameworks).create({
      apiVersion: CORRAL_API_VERSION,
      kind: 'Framework',
      metadata: { name: 'fw', namespace: ns },
      spec: {
        roles: [ROLE],
        capabilities: [...caps],
        principal: 'principal',
        ...(failoverTimeoutSeconds === undefined ? {} : { failoverTimeoutSeconds }),
      },
    }),
  );
}

/** makeOffer writes an Offer of `resources` on the agent to `fw`, as the allocator does. */
export async function makeOffer(
  client: Client,
  ns: string,
  agent: string,
  resources: Resources,
): Promise<Offer> {
  return client.for(corralKinds.offers).create({
    apiVersion: CORRAL_API_VERSION,
    kind: 'Offer',
    metadata: { name: unique('offer'), namespace: ns },
    spec: { framework: 'fw', agent, role: ROLE, resources: items(resources.allocate(ROLE)) },
  });
}

/** answer writes the framework's answer on the offer it read (its resourceVersion). */
export function answer(client: Client, offer: Offer, response: OfferResponse): Promise<Offer> {
  return client.for(corralKinds.offers).update({ ...offer, spec: { ...offer.spec, response } });
}

/** Budget counts the writes a doomed controller may still make. */
export interface Budget {
  left: number;
}

/** budgeted wraps a typed client: reads pass, writes past the budget fail as a dead process's would. */
export function budgeted<T extends KubeObject>(api: ResourceClient<T>, b: Budget) {
  const gate = async <R>(write: () => Promise<R>): Promise<R> => {
    if (b.left <= 0) throw new Error('killed');
    b.left--;
    return write();
  };
  return {
    get: api.get.bind(api),
    create: (o: T) => gate(() => api.create(o)),
    // a List create counts as one write per item; killed partway, the items before the kill are
    // written and the answer is lost
    createMany: async (
      objs: readonly T[],
      opts?: Parameters<ResourceClient<T>['createMany']>[1],
    ) => {
      if (b.left >= objs.length) {
        b.left -= objs.length;
        return api.createMany(objs, opts);
      }
      const some = objs.slice(0, Math.max(0, b.left));
      b.left = 0;
      if (some.length > 0) await api.createMany(some, opts);
      throw new Error('killed');
    },
    update: (o: T) => gate(() => api.update(o)),
    updateStatus: (o: T) => gate(() => api.updateStatus(o)),
    delete: (
      k: { namespace?: string; name: string },
      opts?: Parameters<ResourceClient<T>['delete']>[1],
    ) => gate(() => api.delete(k, opts)),
  };
}

/**
 * makeWorld makes a namespace with a framework and a heartbeating agent of cpus:2;mem:512;
 * disk:1024; the function that stops its heartbeats goes into `stops`.
 */
export async function makeWorld(
  client: Client,
  stops: (() => void)[],
): Promise<{ ns: string; agent: string }> {
  const ns = await makeNamespace(client);
  const agent = await makeAgent(client, { cpus: '2', mem: '512', disk: '1024' });
  const name = agent.metadata.name ?? '';
  stops.push(keepBeating(client, name));
  await makeFramework(client, ns);
  return { ns, agent: name };
}

/** makeEndedTask makes a Task `db` of another, long-gone offer on `agent` and ends it in `state`. */
export async function makeEndedTask(
  client: Client,
  ns: string,
  agent: string,
  state: TaskState,
): Promise<Task> {
  const tasks = client.for(corralKinds.tasks);
  const old = await tasks.create({
    apiVersion: CORRAL_API_VERSION,
    kind: 'Task',
    metadata: { name: 'db', namespace: ns, annotations: { [ORIGIN_ANNOTATION]: 'long-ago' } },
    spec: {
      agent,
      framework: 'fw',
      role: ROLE,
      resources: { cpus: '1' },
      command: { value: 'true' },
    },
  });
  return tasks.updateStatus({ ...old, status: { state, source: 'SOURCE_EXECUTOR' } });
}
