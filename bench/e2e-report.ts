// The end-to-end benchmark's printout: the figure, its steady part and latency, the raw
// baselines of the same run and the ratio that makes them comparable (API writes per task), the
// etcd writes by resource, then CPU and memory per process.
import type { Baselines } from './e2e-baseline.ts';
import type { WriteCounts } from './e2e-observe.ts';
import type { Memory } from './e2e-procs.ts';

/** ReportInput is everything the run measured. */
export interface ReportInput {
  readonly agents: number;
  /** tasks is how many the framework ran; running how many were seen RUNNING by the end. */
  readonly tasks: number;
  readonly running: number;
  readonly resources: string;
  readonly heartbeatSeconds: number;
  readonly registerMs: number;
  readonly allocatorAgents: number;
  readonly baselines: Baselines;
  /** runningTimes, firstSeen, batchStart: performance.now() ms. */
  readonly runningTimes: readonly number[];
  /** seenTimes: when each Task was first seen (performance.now() ms). */
  readonly seenTimes: readonly number[];
  /** cores: all processes' cores used per TIMELINE_S from firstSeen, and each one's. */
  readonly coresTimeline: readonly {
    readonly all: number;
    readonly each: ReadonlyMap<string, number>;
  }[];
  readonly firstSeen: number;
  readonly batchStart: number;
  readonly end: number;
  readonly latencies: readonly number[];
  readonly idle: {
    readonly writes: WriteCounts;
    readonly seconds: number;
    readonly cpu: ReadonlyMap<string, number>;
  };
  readonly writes: WriteCounts;
  readonly cpu: ReadonlyMap<string, number>;
  readonly memory: ReadonlyMap<string, Memory & { maxSampledMiB: number }>;
}

export const TIMELINE_S = 5;

const n0 = (x: number): string => Math.round(x).toLocaleString('en-US');
const f1 = (x: number): string => x.toFixed(1);
const f2 = (x: number): string => x.toFixed(2);

function pct(sorted: readonly number[], p: number): number {
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ??
    NaN
  );
}

function total(c: WriteCounts): number {
  let sum = 0;
  for (const v of c.values()) sum += v.create + v.update + v.delete;
  return sum;
}

function writeLines(c: WriteCounts, per: number, unit: string): string[] {
  return [...c]
    .filter(([, v]) => v.create + v.update + v.delete > 0)
    .sort(([, a], [, b]) => b.create + b.update + b.delete - (a.create + a.update + a.delete))
    .map(
      ([k, v]) =>
        `    ${k.padEnd(16)} create ${n0(v.create).padStart(7)}  update ${n0(v.update).padStart(7)}  delete ${n0(v.delete).padStart(7)}   ${f2((v.create + v.update + v.delete) / per)} ${unit}`,
    );
}

function cpuLine(cpu: ReadonlyMap<string, number>): string {
  return [...cpu]
    .sort(([, a], [, b]) => b - a)
    .map(([k, v]) => `${k} ${f2(v)}`)
    .join(', ');
}

function timeline(times: readonly number[], from: number): string {
  const buckets: number[] = [];
  for (const t of times) {
    const i = Math.floor((t - from) / 1000 / TIMELINE_S);
    buckets[i] = (buckets[i] ?? 0) + 1;
  }
  return Array.from(buckets, b => n0((b ?? 0) / TIMELINE_S)).join(' ');
}

/** formatReport renders the run's figures. */
export function formatReport(r: ReportInput): string {
  const times = r.runningTimes;
  const last = times.at(-1) ?? NaN;
  const n = r.running;
  const seconds = (last - r.firstSeen) / 1000;
  const rate = n / seconds;
  const q = (p: number): number => times[Math.floor((p / 100) * (times.length - 1))] ?? NaN;
  const steady = (0.5 * n) / ((q(75) - q(25)) / 1000);
  const lat = [...r.latencies].sort((a, b) => a - b);
  const writes = total(r.writes);
  const heartbeatResources = new Set(['agents', 'leases']);
  const pathWrites = total(new Map([...r.writes].filter(([k]) => !heartbeatResources.has(k))));
  const b = r.baselines;
  const idleWrites = total(r.idle.writes) / r.idle.seconds;
  const mem = (name: string): string => {
    const m = r.memory.get(name);
    return m === undefined ? `${name} ?` : `${name} ${n0(m.rssMiB)} MiB (peak ${n0(m.peakMiB)})`;
  };
  return [
    ...(n < r.tasks
      ? [
          `CUT SHORT: ${n0(n)} of ${n0(r.tasks)} tasks RUNNING after ${f1((r.end - r.batchStart) / 1000)} s; figures are for those`,
        ]
      : []),
    `${n0(r.agents)} hollow agents (registered in ${f1(r.registerMs / 1000)} s; the allocator saw ${n0(r.allocatorAgents)}), one batch framework, ${n0(r.tasks)} tasks of ${r.resources}, heartbeats every ${r.heartbeatSeconds} s`,
    `  e2e        first Task stored → ${n0(n)}th RUNNING: ${f1(seconds)} s = ${n0(rate)} tasks/s (target ≥ 1,000/s; kube-scheduler's CI floor at 5000 nodes: 680–810 pods/s)`,
    `  steady     25% → 75% of the tasks: ${n0(steady)} tasks/s`,
    `  overall    batch process start → ${n0(n)}th RUNNING: ${f1((last - r.batchStart) / 1000)} s (connect, registration, first offers: ${f1((r.firstSeen - r.batchStart) / 1000)} s)`,
    `  latency    Task stored → stored RUNNING: p50 ${n0(pct(lat, 50))} ms, p99 ${n0(pct(lat, 99))} ms, max ${n0(lat.at(-1) ?? NaN)} ms`,
    `  timeline   RUNNING/s per ${TIMELINE_S} s from the first Task: ${timeline(times, r.firstSeen)}`,
    `             created/s (stored):      ${timeline(r.seenTimes, r.firstSeen)}`,
    `             cores, all processes:     ${r.coresTimeline.map(c => f2(c.all)).join(' ')}`,
    // each process's share: where a slow start or end spends the machine
    ...[...(r.coresTimeline[0]?.each.keys() ?? [])].map(
      name =>
        `               ${name.padEnd(23)}${r.coresTimeline.map(c => f2(c.each.get(name) ?? 0)).join(' ')}`,
    ),
    `raw baselines (same run, same etcd and API server process, before the load):`,
    `  raw etcd puts (64 in flight)                 ${n0(b.etcdPuts)}/s`,
    `  raw etcd CAS creates, 100 per transaction    ${n0(b.etcdTxnKeys)} keys/s`,
    `  API server creates (Leases, 64 in flight)    ${n0(b.apiCreates)}/s${b.apiFailures > 0 ? ` (${b.apiFailures} failed)` : ''}; server CPU ${f2(b.apiCpuMs.leaseCreate)} ms each`,
    `  API Task paths (create made STAGING, RUNNING; 64 Tasks in flight, no watchers)  ${n0(b.apiTaskPaths)} tasks/s; server CPU ${f2(b.apiCpuMs.taskPath)} ms each (with its delete)`,
    `  ratio      e2e ${n0(rate)} tasks/s = ${n0((100 * rate) / b.apiTaskPaths)}% of the API Task-path rate; ${f2(pathWrites / n)} etcd writes per task besides heartbeats and leases (${n0(pathWrites / seconds)}/s) + ${n0((writes - pathWrites) / seconds)}/s of those = ${n0((100 * writes) / seconds / b.apiCreates)}% of the plain create rate`,
    `etcd writes from the first Task to the last RUNNING (${n0(writes)}, per task):`,
    ...writeLines(r.writes, n, '/task'),
    `idle fleet before the framework (${f1(r.idle.seconds)} s): ${n0(idleWrites)} writes/s; cores: ${cpuLine(r.idle.cpu)}`,
    ...writeLines(r.idle.writes, r.idle.seconds, '/s'),
    `cores used during the run (of 2): ${cpuLine(r.cpu)}`,
    `CPU per task RUNNING: ${[...r.cpu]
      .sort(([, a], [, b]) => b - a)
      .map(([k, v]) => `${k} ${f2((v * seconds * 1000) / n)} ms`)
      .join(', ')}`,
    `memory (VmRSS at the end, peak VmHWM): ${['apiserver', 'controllers', 'hollow', 'batch', 'etcd'].map(mem).join('; ')}`,
  ].join('\n');
}
