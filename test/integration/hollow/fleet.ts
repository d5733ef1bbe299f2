// What the hollow-agent integration tests share: a real API server with the CRDs, the typed
// client, a framework namespace, Tasks created as the offer controller creates them (spec.agent
// set, holding the agent's finalizer; the server makes them TASK_STAGING) or by hand (no
// finalizer), and a recorder of every state and resourceVersion each Task went through.
import { pino } from 'pino';
import {
  builtinKinds,
  Client,
  corralKinds,
  makeSharedInformer,
} from '../../../core/client/index.ts';
import type { SharedInformer } from '../../../core/client/index.ts';
import type { Task, TaskState } from '../../../core/types/task.ts';
import { AGENT_FINALIZER } from '../../../core/types/task.ts';
import { CORRAL_API_VERSION } from '../../../core/types/group.ts';
import { systemClock } from '../../../core/util/clock.ts';
import type { TestApiServer } from '../../helpers/api-server.ts';
import { startTestApiServer } from '../../helpers/api-server.ts';
import { eventually } from '../../helpers/eventually.ts';

/** logger prints nothing unless CORRAL_TEST_LOG is set. */
export const logger = pino({ level: process.env['CORRAL_TEST_LOG'] ?? 'silent' });

let seq = 0;

/** unique makes a DNS-safe name unique to this run. */
export function unique(prefix: string): string {
  return `${prefix}${(++seq).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Cluster is a running API server, a client, and a namespace ready for Tasks. */
export interface Cluster {
  readonly api: TestApiServer;
  readonly client: Client;
  readonly namespace: string;
  stop(): Promise<void>;
}

/** startCluster starts an API server with the CRDs and creates a framework namespace. */
export async function startCluster(): Promise<Cluster> {
  const api = await startTestApiServer({ crdDir: 'crds' });
  const client = Client.fromKubeConfig(api.kubeConfig);
  const namespace = unique('fw-');
  await client.for(builtinKinds.namespaces).create({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace },
  });
  return {
    api,
    client,
    namespace,
    async stop() {
      await client.close();
      await api.stop();
    },
  };
}

/** TaskInit is a Task to create: where it runs, and optional annotations. */
export interface TaskInit {
  readonly name: string;
  readonly agent: string;
  readonly annotations?: Record<string, string>;
  /** byHand: made as kubectl would, without the agent's finalizer (default: as launched). */
  readonly byHand?: boolean;
}

/**
 * createTask creates a Task bound to an agent as the offer controller does (holding the agent's
 * finalizer; the API server makes it TASK_STAGING), or by hand.
 */
export async function createTask(c: Cluster, t: TaskInit): Promise<Task> {
  const tasks = c.client.for(corralKinds.tasks);
  // namespace admission may not have seen a namespace created a moment ago: retry meanwhile
  return eventually(() =>
    tasks.create({
      apiVersion: CORRAL_API_VERSION,
      kind: 'Task',
      metadata: {
        name: t.name,
        namespace: c.namespace,
        ...(t.annotations === undefined ? {} : { annotations: t.annotations }),
        ...(t.byHand === true ? {} : { finalizers: [AGENT_FINALIZER] }),
      },
      spec: {
        agent: t.agent,
        framework: 'fw',
        role: 'role',
        resources: { cpus: '0.1', mem: '32' },
        command: { value: 'sleep 1000' },
      },
    }),
  );
}

/** StateRecorder remembers the states and the writes each Task of a namespace went through. */
export interface StateRecorder {
  states(name: string): TaskState[];
  /**
   * writes lists, per resourceVersion the watch showed (one per write), the Task's state and `+f`
   * while it held the agent's finalizer: `['TASK_STAGING+f', 'TASK_RUNNING+f']`.
   */
  writes(name: string): string[];
  /** last is the Task as last seen (also once its record is gone). */
  last(name: string): Task | undefined;
  readonly informer: SharedInformer<Task>;
  stop(): void;
}

/** recordStates watches a namespace's Tasks and records their states and writes. */
export async function recordStates(c: Cluster): Promise<StateRecorder> {
  const abort = new AbortController();
  const informer = makeSharedInformer(c.client.for(corralKinds.tasks), {
    clock: systemClock,
    namespace: c.namespace,
  });
  const seen = new Map<string, TaskState[]>();
  const versions = new Map<string, Map<string, string>>();
  const last = new Map<string, Task>();
  const note = (t: Task): void => {
    const name = t.metadata.name ?? '';
    last.set(name, t);
    const state = t.status?.state;
    const list = seen.get(name) ?? [];
    if (state !== undefined && list.at(-1) !== state) list.push(state);
    seen.set(name, list);
    const held = (t.metadata.finalizers ?? []).includes(AGENT_FINALIZER) ? '+f' : '';
    const byRv = versions.get(name) ?? new Map<string, string>();
    byRv.set(t.metadata.resourceVersion ?? '', `${state ?? 'no state'}${held}`);
    versions.set(name, byRv);
  };
  informer.on({ add: note, update: (_old, t) => note(t) });
  void informer.run(abort.signal).catch(() => undefined);
  await informer.waitForSync(abort.signal);
  return {
    informer,
    states: name => [...(seen.get(name) ?? [])],
    writes: name => [...(versions.get(name)?.values() ?? [])],
    last: name => last.get(name),
    stop: () => abort.abort(),
  };
}
