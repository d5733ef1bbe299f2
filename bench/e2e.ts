// End-to-end benchmark (issue 7): 5000 hollow agents and one batch framework, each Corral
// component in its own process as in production (etcd, `corral apiserver`, `corral agent
// --hollow`, `corral controllers`, `examples/batch`). The figure is tasks placed and RUNNING per
// second through the whole offer cycle (allocator → Offer → the framework's accept → offer
// controller → Task → hollow agent → RUNNING), from the first Task stored to the N-th stored
// RUNNING, with the steady middle part's rate and per-task latency; beside it, the raw
// baselines measured in the same run (e2e-baseline.ts), the resident memory of the API server
// and the controllers, each process's CPU, and the etcd writes per task by resource.
//
// Knobs (environment): CORRAL_BENCH_AGENTS (5000), CORRAL_BENCH_TASKS (20000),
// CORRAL_BENCH_TASK_RESOURCES ('cpus:2;mem:256': 12 tasks fill a 24-cpu hollow agent, so the
// tasks spread over most agents, as pods over nodes in kube-scheduler's benchmarks),
// CORRAL_BENCH_HEARTBEAT (10 s, kubelet's lease renewal), CORRAL_BENCH_PROFILE=1 (CPU profiles of
// every component into the run directory, kept), CORRAL_BENCH_KEEP=1 (keep the run directory),
// CORRAL_BENCH_TIMEOUT (seconds to wait for the tasks; a run cut short prints what it reached),
// CORRAL_BENCH_LOG (`controllers=debug,apiserver=debug`: components' log levels, default info).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshEtcd } from '../test/helpers/etcd.ts';
import { measureBaselines } from './e2e-baseline.ts';
import { Cluster } from './e2e-cluster.ts';
import type { WriteCounts } from './e2e-observe.ts';
import { diffCounts, TaskObserver, WriteCounter } from './e2e-observe.ts';
import { ProcessSampler } from './e2e-sampler.ts';
import { formatReport, TIMELINE_S } from './e2e-report.ts';

const NAMESPACE = 'bench-e2e';

function env(name: string, fallback: number): number {
  const v = process.env[name];
  const n = v === undefined || v === '' ? fallback : Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`${name} must be a positive number`);
  return n;
}

const sleep = (ms: number): Promise<void> => new Promise(r => setTimeout(r, Math.max(0, ms)));

/** benchE2e runs the end-to-end benchmark and prints its figures beside the raw baselines. */
export async function benchE2e(): Promise<void> {
  const agents = env('CORRAL_BENCH_AGENTS', 5000);
  const tasks = env('CORRAL_BENCH_TASKS', 20_000);
  const heartbeatSeconds = env('CORRAL_BENCH_HEARTBEAT', 10);
  const resources = process.env['CORRAL_BENCH_TASK_RESOURCES'] ?? 'cpus:2;mem:256';
  const profile = process.env['CORRAL_BENCH_PROFILE'] === '1';
  const keep = profile || process.env['CORRAL_BENCH_KEEP'] === '1';
  const line = (text: string): void => void process.stdout.write(`${text}\n`);

  const etcd = await freshEtcd();
  const dir = mkdtempSync(join(tmpdir(), 'corral-bench-e2e-'));
  const cluster = new Cluster({
    etcdEndpoint: etcd.endpoint,
    dir,
    ...(profile ? { profileDir: join(dir, 'profiles') } : {}),
  });
  const writes = new WriteCounter(etcd.endpoint);
  const sampler = new ProcessSampler();
  let observer: TaskObserver | undefined;
  let ok = false;
  try {
    line(`run directory ${dir} (logs${profile ? ', CPU profiles' : ''})`);
    const api = await cluster.startApiServer();
    sampler.add('etcd', etcd.pid);
    sampler.add('apiserver', api.pid);
    const baselines = await measureBaselines({
      etcdEndpoint: etcd.endpoint,
      kubeConfig: cluster.kubeConfig,
      apiPid: api.pid,
      namespace: 'bench-baseline',
      total: 6000,
    });
    await writes.start();
    const hollow = await cluster.startHollow({ count: agents, heartbeatSeconds });
    const hollowReady = performance.now();
    sampler.add('hollow', hollow.proc.pid);
    const controllers = await cluster.startControllers();
    sampler.add('controllers', controllers.proc.pid);
    const tasksSeen = new TaskObserver();
    observer = tasksSeen;
    writes.onPut(`corral.dev/tasks/${NAMESPACE}`, (name, v) => tasksSeen.notePut(name, v));
    sampler.start();
    // the fleet at rest, before any framework: heartbeats and the controllers' share of them,
    // over one heartbeat interval once the first (each agent's first Lease, first status) is over;
    // at most 20 s (a run with very slow heartbeats, to see what they cost, does not wait for them)
    const period = Math.min(heartbeatSeconds, 20) * 1000;
    await sleep(hollowReady + period - performance.now());
    const idleFrom = performance.now();
    const idleWrites0 = writes.snapshot();
    await sleep(period);
    const idle = {
      writes: diffCounts(writes.snapshot(), idleWrites0),
      seconds: (performance.now() - idleFrom) / 1000,
      cpu: sampler.cpuBetween(idleFrom, performance.now()),
    };
    const before: WriteCounts = writes.snapshot();
    const batch = cluster.startBatch({ namespace: NAMESPACE, tasks, resources });
    sampler.add('batch', batch.pid);
    const batchFrom = performance.now();
    const timeoutMs = env('CORRAL_BENCH_TIMEOUT', Math.max(300, tasks / 50)) * 1000;
    // the timeout's timer is cleared once the race is over: left running, it kept the finished
    // bench alive for the rest of its five minutes
    let timeout: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      observer.untilRunning(tasks).then(() => 'done' as const),
      batch.exited.then(code => `the batch exited (${code}); see ${batch.logFile}`),
      new Promise<string>(resolve => {
        timeout = setTimeout(() => resolve(`timed out after ${timeoutMs / 1000} s`), timeoutMs);
      }),
    ]);
    clearTimeout(timeout);
    const end = performance.now();
    const running = observer.running;
    const coresTimeline = [];
    for (let from = observer.firstSeen; from < end; from += TIMELINE_S * 1000) {
      const cores = sampler.cpuBetween(from, Math.min(end, from + TIMELINE_S * 1000));
      let all = 0;
      for (const v of cores.values()) all += v;
      coresTimeline.push({ all, each: cores });
    }
    // a run cut short still prints what it measured, for the tasks that made it
    line(
      formatReport({
        agents,
        tasks,
        running,
        resources,
        heartbeatSeconds,
        registerMs: hollow.registerMs,
        allocatorAgents: controllers.agents,
        baselines,
        runningTimes: observer.runningTimes,
        seenTimes: observer.seenTimes,
        coresTimeline,
        firstSeen: observer.firstSeen,
        batchStart: batchFrom,
        end,
        latencies: observer.latencies(),
        idle,
        writes: diffCounts(writes.snapshot(), before),
        cpu: sampler.cpuBetween(Math.min(observer.firstSeen, end), end),
        memory: sampler.memory(),
      }),
    );
    if (ended !== 'done') throw new Error(`only ${running}/${tasks} tasks RUNNING: ${ended}`);
    ok = true;
  } finally {
    sampler.stop();
    await cluster.stop();
    await writes.stop().catch(() => undefined);
    if (ok && !keep) rmSync(dir, { recursive: true, force: true });
    else line(`kept ${dir}`);
  }
}
