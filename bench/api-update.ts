// API update benchmark (issue 7): the API server's CPU time per write for the updates an idle
// hollow fleet and a Task's path make, with one watcher open on each kind (the fan-out is part
// of a write's cost), beside a Lease create (the cheapest write) and raw etcd puts/s measured in
// the same run. The server runs as `corral apiserver` in its own process (e2e-cluster.ts); its
// CPU comes from /proc/<pid>/stat, so the client's TLS and JSON work in this process does not
// count. Each phase ends once every watcher has received its events, so their delivery is inside.
//
// Phases, each over fresh objects per round: Lease create, Lease renewal (agent/registration/
// leases.ts: a PUT over the copy the last renewal returned), Agent create, Agent status heartbeat
// (agent/registration/agent-status.ts: PUT /status over the last copy), and a Task's path as
// e2e-baseline.ts writes it, step by step: create, /status STAGING, a metadata update (PUT),
// /status RUNNING; then a merge PATCH of /status.
//
// Knobs (environment): CORRAL_BENCH_OBJECTS (objects per kind and round, 2000),
// CORRAL_BENCH_ROUNDS (Lease renewals and Agent heartbeats per object, 3), CORRAL_BENCH_REPEAT
// (rounds; the report gives medians, 1), CORRAL_BENCH_CONCURRENCY (requests in flight, 32),
// CORRAL_BENCH_PROFILE=1 (a CPU profile of the API server, summarised at the end, kept).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeAgentStatus } from '../agent/registration/agent-status.ts';
import { agentSpec } from '../agent/registration/agent-spec.ts';
import { withHeartbeat } from '../agent/registration/heartbeat.ts';
import { ensureLeaseNamespace, renewLease } from '../agent/registration/leases.ts';
import { hollowResources } from '../agent/hollow/resources.ts';
import type { Lease } from '../core/client/index.ts';
import { builtinKinds, Client, corralKinds } from '../core/client/index.ts';
import type { Agent, AgentStatus } from '../core/types/agent.ts';
import { AGENT_LEASE_NAMESPACE } from '../core/types/agent-lease.ts';
import type { Task, TaskStatus } from '../core/types/task.ts';
import { freshEtcd } from '../test/helpers/etcd.ts';
import type { EventCounter } from './api-update-measure.ts';
import { openWatch, Phases, profileSummary, quiet, report } from './api-update-measure.ts';
import { Cluster } from './e2e-cluster.ts';
import { cpuSecondsOf } from './e2e-procs.ts';
import { inFlight } from './load.ts';
import { runLoad } from './run-worker.ts';

const TASK_NAMESPACE = 'bench-update';
const MANAGER = 'corral-agent';
const LABELS = { bench: 'held' };

function env(name: string, fallback: number): number {
  const v = process.env[name];
  const n = v === undefined || v === '' ? fallback : Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${name} must be a positive integer`);
  return n;
}

const now = (): string => new Date().toISOString();

function baseTask(name: string): Task {
  return {
    apiVersion: 'corral.dev/v1alpha1',
    kind: 'Task',
    metadata: { name, namespace: TASK_NAMESPACE },
    spec: {
      agent: 'bench-no-such-agent',
      framework: 'bench',
      role: '*',
      resources: { cpus: '2', mem: '256' },
      command: { value: 'sleep 1' },
    },
  };
}

const withStatus = (t: Task, status: TaskStatus): Task => ({ ...t, status });

const staging = (): TaskStatus => ({
  state: 'TASK_STAGING',
  source: 'SOURCE_MASTER',
  lastTransitionTime: now(),
});

const running = (i: number): TaskStatus => ({
  state: 'TASK_RUNNING',
  source: 'SOURCE_EXECUTOR',
  lastTransitionTime: now(),
  containerStatus: { containerId: `bench-${i}` },
  conditions: [
    { type: 'Ready', status: 'True', reason: 'TASK_RUNNING', lastTransitionTime: now() },
  ],
});

/** Step is one kind of write, done to object `i` (the objects' state is the Writes' own). */
type Step = (i: number) => Promise<void>;

/** Writes are the benchmark's writes, as the agents and controllers make them. */
interface Writes {
  readonly renew: Step;
  readonly createAgent: Step;
  readonly heartbeat: Step;
  readonly taskPath: readonly (readonly [string, Step])[];
}

function writesOf(client: Client): Writes {
  const leases = client.for(builtinKinds.leases);
  const agents = client.for(corralKinds.agents);
  const tasks = client.for(corralKinds.tasks);
  const opts = { fieldManager: MANAGER };
  const leaseOf = new Map<number, Lease>();
  const agentOf = new Map<number, Agent>();
  const taskOf = new Map<number, Task>();
  const spec = agentSpec({
    hostname: 'bench',
    resources: hollowResources(),
    attributes: {},
    reconfigurationPolicy: 'equal',
  });
  const onTask =
    (write: (t: Task, i: number) => Promise<Task>): Step =>
    async i => {
      const t = taskOf.get(i);
      if (t === undefined) throw new Error(`task ${i} was not created`);
      taskOf.set(i, await write(t, i));
    };
  return {
    renew: async i => {
      const renewal = {
        api: leases,
        agent: `bench-${i}`,
        base: leaseOf.get(i),
        nowMs: Date.now(),
        durationSeconds: 40,
        fieldManager: MANAGER,
      };
      leaseOf.set(i, await renewLease(renewal));
    },
    createAgent: async i => {
      const name = `bench-${i}`;
      const agent: Agent = {
        apiVersion: 'corral.dev/v1alpha1',
        kind: 'Agent',
        metadata: { name },
        spec: { ...spec, hostname: name },
      };
      agentOf.set(i, await agents.create(agent, opts));
    },
    heartbeat: async i => {
      const base = agentOf.get(i);
      if (base === undefined) throw new Error(`agent ${i} was not created`);
      const at = now();
      const change = (s: AgentStatus): AgentStatus => withHeartbeat(s, at);
      agentOf.set(i, await writeAgentStatus({ api: agents, base, change }));
    },
    taskPath: [
      ['task create', async i => void taskOf.set(i, await tasks.create(baseTask(`t-${i}`), opts))],
      ['task /status STAGING', onTask(t => tasks.updateStatus(withStatus(t, staging()), opts))],
      [
        'task update (metadata)',
        onTask(t => tasks.update({ ...t, metadata: { ...t.metadata, labels: LABELS } }, opts)),
      ],
      [
        'task /status RUNNING',
        onTask((t, i) => tasks.updateStatus(withStatus(t, running(i)), opts)),
      ],
      [
        'task /status merge PATCH',
        onTask((t, i) => {
          const key = { namespace: TASK_NAMESPACE, name: t.metadata.name ?? '' };
          return tasks.patchStatus(key, { status: { message: `patched ${i}` } }, opts);
        }),
      ],
    ],
  };
}

/** Watched are the watch streams, one per kind. */
interface Watched {
  readonly leases: EventCounter;
  readonly agents: EventCounter;
  readonly tasks: EventCounter;
}

// round runs every phase once over objects base..base+objects-1.
async function round(
  o: { phases: Phases; w: Writes; watched: Watched; objects: number; renewals: number },
  base: number,
): Promise<void> {
  const { phases, w, watched, objects } = o;
  const at =
    (step: Step): Step =>
    i =>
      step(base + i);
  await phases.run('lease create', objects, watched.leases, at(w.renew));
  await phases.run('lease renewal (PUT)', objects * o.renewals, watched.leases, j =>
    w.renew(base + (j % objects)),
  );
  await phases.run('agent create', objects, watched.agents, at(w.createAgent));
  await phases.run('agent /status heartbeat (PUT)', objects * o.renewals, watched.agents, j =>
    w.heartbeat(base + (j % objects)),
  );
  for (const [name, step] of w.taskPath) await phases.run(name, objects, watched.tasks, at(step));
}

/** benchApiUpdate runs the update benchmark and prints CPU per write beside raw etcd puts/s. */
export async function benchApiUpdate(): Promise<void> {
  const objects = env('CORRAL_BENCH_OBJECTS', 2000);
  const renewals = env('CORRAL_BENCH_ROUNDS', 3);
  const repeat = env('CORRAL_BENCH_REPEAT', 1);
  const concurrency = env('CORRAL_BENCH_CONCURRENCY', 32);
  const profile = process.env['CORRAL_BENCH_PROFILE'] === '1';
  const etcd = await freshEtcd();
  const dir = mkdtempSync(join(tmpdir(), 'corral-bench-update-'));
  const profileDir = join(dir, 'profiles');
  const cluster = new Cluster({
    etcdEndpoint: etcd.endpoint,
    dir,
    ...(profile ? { profileDir } : {}),
  });
  const streams: EventCounter[] = [];
  let client: Client | undefined;
  try {
    const api = await cluster.startApiServer();
    const kc = cluster.kubeConfig;
    client = Client.fromKubeConfig(kc, { userAgent: `${MANAGER}/bench` });
    const namespaces = client.for(builtinKinds.namespaces);
    await ensureLeaseNamespace(namespaces);
    await namespaces.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: TASK_NAMESPACE },
    });
    const watched: Watched = {
      leases: openWatch(
        kc,
        `/apis/coordination.k8s.io/v1/namespaces/${AGENT_LEASE_NAMESPACE}/leases`,
      ),
      agents: openWatch(kc, '/apis/corral.dev/v1alpha1/agents'),
      tasks: openWatch(kc, `/apis/corral.dev/v1alpha1/namespaces/${TASK_NAMESPACE}/tasks`),
    };
    streams.push(watched.leases, watched.agents, watched.tasks);

    const raw = { kind: 'etcd-put' as const, endpoint: etcd.endpoint, concurrency: 64 };
    await runLoad({ ...raw, total: 500, prefix: '/bench-warm/' });
    const puts = await runLoad({ ...raw, total: 6000, prefix: '/bench-raw/' });
    const idle0 = cpuSecondsOf(api.pid);
    await new Promise(r => setTimeout(r, 1000));
    const idleMsPerS = (cpuSecondsOf(api.pid) - idle0) * 1000;

    // warm-up (JIT, connections) on objects 0..warm-1, which no round measures. The namespaces
    // are admitted once the server's namespace watch saw them: retry the first write.
    const w = writesOf(client);
    const warm = Math.min(300, objects);
    for (
      let i = 0;
      i < 200 &&
      !(await w.renew(0).then(
        () => true,
        () => false,
      ));
      i++
    )
      await new Promise(r => setTimeout(r, 25));
    for (const step of [w.renew, w.renew, w.createAgent, w.heartbeat, ...w.taskPath.map(s => s[1])])
      await inFlight(warm, concurrency, step);
    await quiet(streams);

    const phases = new Phases(api.pid, concurrency);
    for (let r = 0; r < repeat; r++)
      await round({ phases, w, watched, objects, renewals }, warm + r * objects);
    process.stdout.write(
      `${report({ results: phases.results, etcdPuts: 6000 / puts.seconds, idleMsPerS })}\n`,
    );
  } finally {
    for (const s of streams) s.close();
    await client?.close();
    await cluster.stop();
    if (profile) process.stdout.write(`${profileSummary(profileDir)}\n(kept ${dir})\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
