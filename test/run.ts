// Test entry point: runs one suite (unit, integration, e2e) or all of them in one mocha run, then
// stops every fixture process and prints the plain `N passed, N failed` line CI reads.
import Mocha from 'mocha';
import { globSync } from 'node:fs';
import { resolve } from 'node:path';
import { stopFixtures } from './helpers/fixtures.ts';

const SUITES = ['unit', 'integration', 'e2e'] as const;
type Suite = (typeof SUITES)[number];

function parseArgs(argv: readonly string[]): { suites: Suite[]; grep?: string; files: string[] } {
  const [first, ...rest] = argv;
  const suites: Suite[] =
    first === undefined || first === 'all'
      ? [...SUITES]
      : SUITES.includes(first as Suite)
        ? [first as Suite]
        : [];
  if (suites.length === 0)
    throw new Error(`unknown suite "${first ?? ''}": use all|${SUITES.join('|')}`);
  const files: string[] = [];
  let grep: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] ?? '';
    if (a === '--grep' || a === '-g') grep = rest[++i];
    else files.push(a);
  }
  return grep === undefined ? { suites, files } : { suites, grep, files };
}

// tools unpacked by scripts/bootstrap.mjs (kubectl, helm) when the machine has none of its own
process.env['PATH'] = `${resolve('.tools/bin')}:${process.env['PATH'] ?? ''}`;
const args = parseArgs(process.argv.slice(2));
const mocha = new Mocha({
  timeout: 30_000,
  reporter: 'spec',
  ...(args.grep ? { grep: args.grep } : {}),
});
const patterns =
  args.files.length > 0 ? args.files : args.suites.map(s => `test/${s}/**/*.test.ts`);
for (const p of patterns) for (const f of globSync(p).sort()) mocha.addFile(resolve(f));
await mocha.loadFilesAsync();

// a run cut short (Ctrl-C, a CI timeout's SIGTERM) still stops every fixture by its pid
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stdout.write(`\n${signal}: stopping fixtures\n`);
    void stopFixtures().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

const runner = mocha.run(failures => {
  void stopFixtures().finally(() => {
    const stats = runner.stats ?? { passes: 0, failures, pending: 0 };
    const skipped = stats.pending > 0 ? `, ${stats.pending} skipped` : '';
    process.stdout.write(`\n${stats.passes} passed, ${stats.failures} failed${skipped}\n`);
    process.exit(stats.failures > 0 ? 1 : 0);
  });
});
