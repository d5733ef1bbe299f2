// A real agent for the e2e tests: a real API server (its own etcd prefix), an in-process agent
// named `crl-agent-<hex>` with a temp work dir and its own runc root, and a namespace for its
// Tasks. stop() (also run by the fixture registry if a test failed) stops the agent, then
// destroys every container the agent's runtime still knows, so no container, cgroup or mount
// is left on the shared VM.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { pino } from 'pino';
import { builtinKinds, Client, corralKinds } from '../../../core/client/index.ts';
import { CORRAL_API_VERSION } from '../../../core/types/group.ts';
import type { Task, TaskSpec, TaskStatus } from '../../../core/types/task.ts';
import { systemClock } from '../../../core/util/clock.ts';
import type { AgentOptions, RunningAgent } from '../../../agent/main.ts';
import { startAgent } from '../../../agent/main.ts';
import { RuncRuntime } from '../../../agent/runtime/index.ts';
import type { TestApiServer } from '../../helpers/api-server.ts';
import { startTestApiServer } from '../../helpers/api-server.ts';
import { eventually } from '../../helpers/eventually.ts';
import { registerFixture } from '../../helpers/fixtures.ts';

/** FixtureOptions are agent options a test overrides. */
export type FixtureOptions = Partial<Omit<AgentOptions, 'kubeConfig' | 'logger'>> & {
  readonly api?: TestApiServer;
  /** inProcess false leaves the agent to the test (started with f.start() or as a child). */
  readonly inProcess?: boolean;
};

/** AgentFixture is one agent under test and what the test needs around it. */
export interface AgentFixture {
  readonly api: TestApiServer;
  readonly client: Client;
  readonly name: string;
  readonly namespace: string;
  readonly dir: string;
  readonly options: AgentOptions;
  agent: RunningAgent | undefined;
  /** start (re)starts the in-process agent over the same dirs. */
  start(overrides?: Partial<AgentOptions>): Promise<RunningAgent>;
  stop(): Promise<void>;
}

/** startAgentFixture starts an API server (unless given one) and an agent. */
export async function startAgentFixture(o: FixtureOptions = {}): Promise<AgentFixture> {
  const api = o.api ?? (await startTestApiServer({ crdDir: 'crds' }));
  const client = Client.fromKubeConfig(api.kubeConfig);
  const hex = randomBytes(4).toString('hex');
  const name = o.name ?? `crl-agent-${hex}`;
  const namespace = `crl-ns-${hex}`;
  await client.for(builtinKinds.namespaces).create({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace },
  });
  // the API server admits objects in a namespace only once its namespace watch saw it (no live
  // fallback on a miss, unlike kube's NamespaceLifecycle): wait until a create there succeeds
  await eventually(() =>
    client.for(builtinKinds.leases).create({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'ready', namespace },
    }),
  );
  const dir = await mkdtemp(join(tmpdir(), 'crl-agent-'));
  const { inProcess = true, ...rest } = o;
  delete (rest as { api?: unknown }).api;
  const options: AgentOptions = {
    kubeConfig: api.kubeConfig,
    name,
    workDir: join(dir, 'work'),
    runcRoot: join(dir, 'runc'),
    logger: pino({ level: process.env['CORRAL_TEST_LOG'] ?? 'silent' }),
    heartbeatIntervalMs: 1_000,
    clock: systemClock,
    ...rest,
  };
  const cleanup = async (): Promise<void> => {
    await f.agent?.stop().catch(() => undefined);
    f.agent = undefined;
    const runtime = await RuncRuntime.open({
      agentId: name,
      workDir: options.workDir,
      runcRoot: options.runcRoot ?? '',
      clock: systemClock,
    });
    for (const c of await runtime.list()) await runtime.destroy(c.id).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    await client.close();
  };
  const unregister = registerFixture(cleanup);
  const f: AgentFixture = {
    api,
    client,
    name,
    namespace,
    dir,
    options,
    agent: undefined,
    async start(overrides = {}) {
      f.agent = await startAgent({ ...options, ...overrides });
      return f.agent;
    },
    async stop() {
      unregister();
      await cleanup();
    },
  };
  if (inProcess) await f.start();
  return f;
}

/** taskObject builds a Task bound to the fixture's agent, as the offer controller would. */
export function taskObject(f: AgentFixture, name: string, spec: Partial<TaskSpec>): Task {
  return {
    apiVersion: CORRAL_API_VERSION,
    kind: 'Task',
    metadata: { name, namespace: f.namespace },
    spec: {
      agent: f.name,
      framework: 'test-framework',
      role: '*',
      resources: { cpus: '0.1', mem: 64 },
      ...spec,
    },
  };
}

/** createTask creates a Task through the typed client. */
export async function createTask(
  f: AgentFixture,
  name: string,
  spec: Partial<TaskSpec>,
): Promise<Task> {
  return f.client.for(corralKinds.tasks).create(taskObject(f, name, spec));
}

/** waitForState waits until the Task's status.state is `state`, and returns that status. */
export async function waitForState(
  f: AgentFixture,
  name: string,
  state: TaskStatus['state'],
  timeoutMs = 20_000,
): Promise<TaskStatus> {
  return eventually(async () => {
    const t = await f.client.for(corralKinds.tasks).get({ namespace: f.namespace, name });
    expect(t.status?.state, `${name}: ${JSON.stringify(t.status)}`).to.equal(state);
    return t.status ?? {};
  }, timeoutMs);
}
