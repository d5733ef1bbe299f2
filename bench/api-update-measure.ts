// The measuring half of the update benchmark (api-update.ts): raw watch streams that count the
// events they receive, phases timed by the API server's CPU time (/proc/<pid>/stat) until every
// watcher has its events, and the report (medians over repeated rounds).
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { cpuSecondsOf } from './e2e-procs.ts';
import { summarize } from './e2e-profile.ts';
import { inFlight } from './load.ts';

/** EventCounter counts the events one raw watch stream delivered. */
export interface EventCounter {
  readonly count: () => number;
  readonly close: () => void;
}

/** openWatch watches a collection over https with the kubeconfig's token, counting events. */
export function openWatch(kc: KubeConfig, path: string): EventCounter {
  const cluster = kc.getCurrentCluster();
  const token = kc.getCurrentUser()?.token;
  if (cluster === null || token === undefined) throw new Error('kubeconfig without server/token');
  const u = new URL(cluster.server);
  let seen = 0;
  const req = request({
    host: u.hostname,
    port: u.port,
    path: `${path}?watch=true`,
    headers: { authorization: `Bearer ${token}` },
    ca: Buffer.from(cluster.caData ?? '', 'base64'),
  });
  req.on('response', res => {
    let partial = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) if (l.trim() !== '') seen += 1;
    });
  });
  req.on('error', () => undefined);
  req.end();
  return { count: () => seen, close: () => req.destroy() };
}

async function until(test: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!test()) {
    if (performance.now() > deadline) return false;
    await new Promise(r => setTimeout(r, 5));
  }
  return true;
}

/** quiet waits until no watcher has received anything for 300 ms (earlier events are in). */
export async function quiet(watches: readonly EventCounter[]): Promise<void> {
  const total = (): number => watches.reduce((n, w) => n + w.count(), 0);
  for (let last = -1; last !== total();) {
    last = total();
    await new Promise(r => setTimeout(r, 300));
  }
}

/** PhaseResult is one run of one phase. */
export interface PhaseResult {
  readonly name: string;
  readonly ops: number;
  readonly seconds: number;
  readonly cpuMsPerOp: number;
  /** delivered is false when the watcher did not get one event per write within 30 s. */
  readonly delivered: boolean;
}

/** Phases times phases of writes by the API server's CPU and keeps every result. */
export class Phases {
  readonly results: PhaseResult[] = [];
  readonly #pid: number;
  readonly #concurrency: number;

  constructor(apiPid: number, concurrency: number) {
    this.#pid = apiPid;
    this.#concurrency = concurrency;
  }

  /** run does `ops` jobs, `concurrency` in flight, then waits for `watch` to see them all. */
  async run(
    name: string,
    ops: number,
    watch: EventCounter,
    job: (i: number) => Promise<void>,
  ): Promise<void> {
    const events0 = watch.count();
    const cpu0 = cpuSecondsOf(this.#pid);
    const t0 = performance.now();
    await inFlight(ops, this.#concurrency, job);
    const delivered = await until(() => watch.count() - events0 >= ops, 30_000);
    const seconds = (performance.now() - t0) / 1000;
    const cpuMsPerOp = ((cpuSecondsOf(this.#pid) - cpu0) * 1000) / ops;
    this.results.push({ name, ops, seconds, cpuMsPerOp, delivered });
  }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
};

/** TASK_PATH names the phases of a Task's path as e2e-baseline.ts writes it. */
export const TASK_PATH = [
  'task create',
  'task /status STAGING',
  'task update (metadata)',
  'task /status RUNNING',
] as const;

/** report prints each phase's median CPU per write and rate over the rounds, and the sums. */
export function report(o: {
  readonly results: readonly PhaseResult[];
  readonly etcdPuts: number;
  readonly idleMsPerS: number;
}): string {
  const names = [...new Set(o.results.map(r => r.name))];
  const runs = (name: string): PhaseResult[] => o.results.filter(r => r.name === name);
  const ms = (name: string): number => median(runs(name).map(r => r.cpuMsPerOp));
  const rows = names.map(name => {
    const all = runs(name);
    const perSecond = median(all.map(r => r.ops / r.seconds));
    const missed = all.every(r => r.delivered) ? '' : '  (a watcher missed events)';
    const spread = all.length > 1 ? ` [${all.map(r => r.cpuMsPerOp.toFixed(3)).join(' ')}]` : '';
    return `  ${name.padEnd(30)} ${ms(name).toFixed(3).padStart(7)} ms ${Math.round(perSecond).toLocaleString('en-US').padStart(7)}/s${spread}${missed}`;
  });
  const path = TASK_PATH.map(ms).reduce((a, b) => a + b, 0);
  const ratio = ms('lease renewal (PUT)') / ms('lease create');
  return [
    `server CPU per write, median of ${Math.max(...names.map(n => runs(n).length))} round(s); one watcher per kind`,
    ...rows,
    `  Task path (create, STAGING, metadata, RUNNING): ${path.toFixed(2)} ms`,
    `  Lease renewal / Lease create: ${ratio.toFixed(2)}x (targets: renewal <= 0.3 ms, Task /status <= 0.4 ms)`,
    `raw etcd puts (64 in flight): ${Math.round(o.etcdPuts).toLocaleString('en-US')}/s; server idle CPU ${o.idleMsPerS.toFixed(1)} ms/s`,
  ].join('\n');
}

/** profileSummary lists the API server profile's functions by self time. */
export function profileSummary(dir: string): string {
  const file = readdirSync(dir).find(f => f.startsWith('apiserver'));
  if (file === undefined) return 'no API server profile was written';
  type Profile = Parameters<typeof summarize>[0];
  const s = summarize(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile);
  const top = [...s.selfByFunction]
    .sort(([, a], [, b]) => b - a)
    .slice(0, 30)
    .map(([k, us]) => `  ${((100 * us) / 1000 / s.busyMs).toFixed(1).padStart(5)}%  ${k}`);
  return [`API server profile ${join(dir, file)}: self time by function`, ...top].join('\n');
}
