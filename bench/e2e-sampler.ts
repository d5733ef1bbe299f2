// Samples every component's CPU time and resident memory from /proc once a second, so the
// end-to-end benchmark can say, for any window of the run, which process was busy (cores used)
// and how much memory each held (VmRSS now, VmHWM: the kernel's peak).
import type { Memory } from './e2e-procs.ts';
import { cpuSecondsOf, memoryOf } from './e2e-procs.ts';

const PERIOD_MS = 1000;

interface Sample {
  readonly at: number;
  readonly cpu: number;
}

interface Series {
  readonly pid: number;
  readonly samples: Sample[];
  memory?: Memory;
  maxRssMiB: number;
}

/** ProcessSampler follows named pids. */
export class ProcessSampler {
  readonly #series = new Map<string, Series>();
  #timer: NodeJS.Timeout | undefined;

  /** add follows `pid` under `name` from now on. */
  add(name: string, pid: number): void {
    const s: Series = { pid, samples: [], maxRssMiB: 0 };
    this.#series.set(name, s);
    this.#sample(s);
  }

  /** start samples every second until stop(). */
  start(): void {
    this.add('bench', process.pid);
    this.#timer = setInterval(() => {
      for (const s of this.#series.values()) this.#sample(s);
    }, PERIOD_MS);
  }

  #sample(s: Series): void {
    try {
      const at = performance.now();
      s.samples.push({ at, cpu: cpuSecondsOf(s.pid) });
      s.memory = memoryOf(s.pid);
      s.maxRssMiB = Math.max(s.maxRssMiB, s.memory.rssMiB);
    } catch {
      // the process is gone: its last sample stands
    }
  }

  /** stop takes a last sample and ends sampling. */
  stop(): void {
    clearInterval(this.#timer);
    for (const s of this.#series.values()) this.#sample(s);
  }

  /**
   * cpuBetween is, per process, the cores it used on average between two moments
   * (performance.now() ms), from the samples nearest outside the window.
   */
  cpuBetween(from: number, to: number): Map<string, number> {
    for (const s of this.#series.values()) this.#sample(s);
    const out = new Map<string, number>();
    for (const [name, s] of this.#series) {
      const a = [...s.samples].reverse().find(x => x.at <= from) ?? s.samples[0];
      const b = s.samples.find(x => x.at >= to) ?? s.samples.at(-1);
      if (a === undefined || b === undefined || b.at <= a.at) continue;
      out.set(name, (b.cpu - a.cpu) / ((b.at - a.at) / 1000));
    }
    return out;
  }

  /** memory is, per process, its last VmRSS and VmHWM and the largest VmRSS sampled. */
  memory(): Map<string, Memory & { maxSampledMiB: number }> {
    const out = new Map<string, Memory & { maxSampledMiB: number }>();
    for (const [name, s] of this.#series) {
      if (s.memory !== undefined) out.set(name, { ...s.memory, maxSampledMiB: s.maxRssMiB });
    }
    return out;
  }
}
