// The end-to-end benchmark's child processes: each Corral component runs as its own `node`
// process, as in production, with its stdout and stderr in a log file of the run directory. The
// bench waits for a component by a log line it prints, reads its memory and CPU from /proc, and
// stops it by its pid (SIGTERM, then SIGKILL after a grace period), even when the run fails.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import type { WriteStream } from 'node:fs';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** NodeProcessOptions say what to run and where its files go. */
export interface NodeProcessOptions {
  /** name is the component's name: its log is `<dir>/<name>.log`. */
  readonly name: string;
  /** script and args as for `node <script> <args>` (a .ts file: Node strips the types). */
  readonly script: string;
  readonly args: readonly string[];
  readonly dir: string;
  /** profileDir, when set, makes node write a .cpuprofile there when the process exits. */
  readonly profileDir?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** LineWaiter is a pending wait for a log line. */
interface LineWaiter {
  readonly test: (line: string) => boolean;
  readonly resolve: (line: string) => void;
}

/** NodeProcess is a running component. */
export interface NodeProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** exited resolves with the exit code (or the signal's name) once the process ended. */
  readonly exited: Promise<number | string>;
  /** waitForLine resolves with the first log line, from now on, that passes `test`. */
  waitForLine(test: (line: string) => boolean, timeoutMs: number): Promise<string>;
  /** stop sends `signal` (SIGTERM) to the pid, then SIGKILL after `graceMs`; waits for the end. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

const TAIL_LINES = 20;

/**
 * spawnNode starts `node <script>` with the node running this bench (Node 24). A process that
 * ends while the bench waits for one of its lines rejects that wait with the tail of its log.
 */
export function spawnNode(o: NodeProcessOptions): NodeProcess {
  const logFile = join(o.dir, `${o.name}.log`);
  const log = createWriteStream(logFile);
  const profile =
    o.profileDir === undefined
      ? []
      : ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}`, `--cpu-prof-name=${o.name}.cpuprofile`];
  // CORRAL_BENCH_FLAGS_<name>: more node flags for one component (e.g. `--trace-gc`), which
  // NODE_OPTIONS would give every process, the bench's own included, or refuse
  const extra = (process.env[`CORRAL_BENCH_FLAGS_${o.name}`] ?? '')
    .split(' ')
    .filter(f => f !== '');
  const child = spawn(process.execPath, [...profile, ...extra, o.script, ...o.args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...o.env },
  });
  if (child.pid === undefined) throw new Error(`cannot start ${o.name}`);
  const pid = child.pid;
  const waiters = new Set<LineWaiter>();
  const tail: string[] = [];
  const exited = new Promise<number | string>(resolve =>
    child.once('exit', (code, sig) => resolve(code ?? sig ?? 'unknown')),
  );
  scanLines(child, log, line => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    for (const w of waiters) if (w.test(line)) w.resolve(line);
  });
  const waitForLine = (test: (line: string) => boolean, timeoutMs: number): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const waiter: LineWaiter = {
        test,
        resolve: line => {
          finish();
          resolve(line);
        },
      };
      const fail = (why: string): void => {
        finish();
        reject(new Error(`${o.name} (pid ${pid}) ${why}; log ${logFile}:\n${tail.join('\n')}`));
      };
      const finish = (): void => {
        waiters.delete(waiter);
        clearTimeout(timer);
      };
      waiters.add(waiter);
      timer = setTimeout(() => fail(`printed no awaited line in ${timeoutMs} ms`), timeoutMs);
      void exited.then(code => {
        if (waiters.has(waiter)) fail(`exited (${code})`);
      });
    });
  let stopping: Promise<void> | undefined;
  const stop = (signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(pid, signal);
        const timer = setTimeout(() => {
          if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
        }, graceMs);
        await exited;
        clearTimeout(timer);
      }
      await new Promise<void>(resolve => log.end(() => resolve()));
    })());
  return { name: o.name, pid, logFile, exited, waitForLine, stop };
}

// scanLines copies the child's output to its log and hands each complete line to `onLine`.
function scanLines(child: ChildProcess, log: WriteStream, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      log.write(chunk);
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
  }
}

/** Memory is a process's resident memory now and at its peak, in MiB. */
export interface Memory {
  readonly rssMiB: number;
  readonly peakMiB: number;
}

/** memoryOf reads VmRSS and VmHWM of a live process from /proc/<pid>/status. */
export function memoryOf(pid: number): Memory {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number =>
    Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

// USER_HZ: Linux reports utime and stime in clock ticks of 1/100 s on every common platform.
const TICKS_PER_SECOND = 100;

/** cpuSecondsOf is the CPU time (user + system) a live process has used, from /proc/<pid>/stat. */
export function cpuSecondsOf(pid: number): number {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // the command name (field 2) may hold spaces: count fields after its closing parenthesis
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / TICKS_PER_SECOND;
}
