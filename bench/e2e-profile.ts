#!/usr/bin/env node
// Summarizes a V8 .cpuprofile (as `CORRAL_BENCH_PROFILE=1 npm run bench -- e2e` leaves them):
// where the process's busy time went, by function and by file, self time (the function's own
// code, not its callees) and, per file, inclusive time of the frames below the first frame of
// that file. `node bench/e2e-profile.ts <file.cpuprofile> [top]`.
import { readFileSync } from 'node:fs';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

/** ProfileSummary is busy time (µs) by function and by file. */
export interface ProfileSummary {
  readonly wallMs: number;
  readonly idleMs: number;
  readonly busyMs: number;
  readonly selfByFunction: ReadonlyMap<string, number>;
  readonly selfByFile: ReadonlyMap<string, number>;
  readonly inclusiveByFile: ReadonlyMap<string, number>;
  readonly inclusiveByFunction: ReadonlyMap<string, number>;
}

const IDLE = new Set(['(idle)', '(root)']);

function shortUrl(url: string): string {
  if (url === '') return '(native)';
  const i = url.indexOf('/work/main/');
  const path = i >= 0 ? url.slice(i + '/work/main/'.length) : url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  return nm >= 0 ? path.slice(nm) : path;
}

/** summarize reads a profile into self and inclusive times. */
export function summarize(p: CpuProfile): ProfileSummary {
  const byId = new Map(p.nodes.map(n => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const selfByFunction = new Map<string, number>();
  const selfByFile = new Map<string, number>();
  const inclusiveByFile = new Map<string, number>();
  const inclusiveByFunction = new Map<string, number>();
  const nameOf = (f: CallFrame): string =>
    `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}:${f.lineNumber + 1}`;
  let idle = 0;
  for (const [id, us] of self) {
    const n = byId.get(id);
    if (n === undefined) continue;
    const f = n.callFrame;
    if (IDLE.has(f.functionName)) {
      idle += us;
      continue;
    }
    const file = shortUrl(f.url);
    const fn = nameOf(f);
    selfByFunction.set(fn, (selfByFunction.get(fn) ?? 0) + us);
    selfByFile.set(file, (selfByFile.get(file) ?? 0) + us);
    // inclusive: each file and each function on the stack once
    const files = new Set<string>();
    const fns = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur);
      if (node === undefined || IDLE.has(node.callFrame.functionName)) continue;
      files.add(shortUrl(node.callFrame.url));
      fns.add(nameOf(node.callFrame));
    }
    for (const file of files) inclusiveByFile.set(file, (inclusiveByFile.get(file) ?? 0) + us);
    for (const fn2 of fns) inclusiveByFunction.set(fn2, (inclusiveByFunction.get(fn2) ?? 0) + us);
  }
  const wall = (p.endTime - p.startTime) / 1000;
  return {
    wallMs: wall,
    idleMs: idle / 1000,
    busyMs: wall - idle / 1000,
    selfByFunction,
    selfByFile,
    inclusiveByFile,
    inclusiveByFunction,
  };
}

function top(m: ReadonlyMap<string, number>, n: number, busyMs: number): string[] {
  return [...m]
    .sort(([, a], [, b]) => b - a)
    .slice(0, n)
    .map(([k, us]) => `  ${((100 * us) / 1000 / busyMs).toFixed(1).padStart(5)}%  ${k}`);
}

if (import.meta.main) {
  const [file, count] = process.argv.slice(2);
  if (file === undefined) {
    process.stderr.write('usage: node bench/e2e-profile.ts <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  const n = Number(count ?? 25);
  const s = summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  process.stdout.write(
    [
      `${file}: ${(s.wallMs / 1000).toFixed(1)} s profiled, ${(s.busyMs / 1000).toFixed(1)} s busy (${((100 * s.busyMs) / s.wallMs).toFixed(0)}%); shares of busy time`,
      'self time by function:',
      ...top(s.selfByFunction, n, s.busyMs),
      'self time by file:',
      ...top(s.selfByFile, n, s.busyMs),
      'inclusive time by file (time under any frame of the file):',
      ...top(s.inclusiveByFile, n, s.busyMs),
      'inclusive time by function:',
      ...top(s.inclusiveByFunction, 2 * n, s.busyMs),
      '',
    ].join('\n'),
  );
}
