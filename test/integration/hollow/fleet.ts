// What the hollow-agent integration tests share: a real API server with the CRDs, the typed
// client, a framework namespace, Tasks created as the offer controller creates them (spec.agent
// set, TASK_STAGING through /status), and a recorder of every state each Task went through.
import { pino } from 'pino';
import {
  builtinKinds,
  Client,
  corralKinds,
  isConflict,
  makeSharedInformer,
} from '../../../core/client/index.ts';
import type { SharedInformer } from '../../../core/client/index.ts';
import type { Task, TaskState } from '../../../core/types/task.ts';
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
}

/** createTask creates a Task bound to an agent and writes TASK_STAGING, as the offer controller does. */
export async function createTask(c: Cluster, t: TaskInit): Promise<Task> {
  const tasks = c.client.for(corralKinds.tasks);
  // namespace admission may not have seen a namespace created a moment ago: retry meanwhile
  const created = await eventually(() =>
    tasks.create({
      apiVersion: CORRAL_API_VERSION,
      kind: 'Task',
      metadata: {
        name: t.name,
        namespace: c.namespace,
        ...(t.annotations === undefined ? {} : { annotations: t.annotations }),
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
  // TASK_STAGING only while no state is there, as the offer controller writes it: the agent
  // may have taken the Task already
  let current = created;
  for (let attempt = 1; current.status?.state === undefined; attempt++) {
    try {
      current = await tasks.updateStatus({
        ...current,
        status: {
          state: 'TASK_STAGING',
          source: 'SOURCE_MASTER',
          lastTransitionTime: new Date().toISOString(),
        },
      });
    } catch (e) {
      if (!isConflict(e) || attempt >= 5) throw e;
      current = await tasks.get({ namespace: c.namespace, name: t.name });
    }
  }
  return current;
}

/** StateRecorder remembers the states each Task of a namespace went through, in order. */
export interface StateRecorder {
  states(name: string): TaskState[];
  readonly informer: SharedInformer<Task>;
  stop(): void;
}

/** recordStates watches a namespace's Tasks and records their states. */
export async function recordStates(c: Cluster): Promise<StateRecorder> {
  const abort = new AbortController();
  const informer = makeSharedInformer(c.client.for(corralKinds.tasks), {
    clock: systemClock,
    namespace: c.namespace,
  });
  const seen = new Map<string, TaskState[]>();
  const note = (t: Task): void => {
    const name = t.metadata.name ?? '';
    const state = t.status?.state;
    const list = seen.get(name) ?? [];
    if (state !== undefined && list.at(-1) !== state) list.push(state);
    seen.set(name, list);
  };
  informer.on({ add: note, update: (_old, t) => note(t) });
  void informer.run(abort.signal).catch(() => undefined);
  await informer.waitForSync(abort.signal);
  return {
    informer,
    states: name => [...(seen.get(name) ?? [])],
    stop: () => abort.abort(),
  };
}
