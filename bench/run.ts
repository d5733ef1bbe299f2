// Benchmark entry: `npm run bench -- <name>` runs one benchmark (or all). Each prints its figure
// beside a raw baseline measured in the same run, so the ratio means something on a noisy box.
import { benchAgent } from './agent.ts';
import { benchAllocator } from './allocator.ts';
import { benchApi } from './api.ts';
import { benchApiUpdate } from './api-update.ts';
import { benchE2e } from './e2e.ts';
import { stopFixtures } from '../test/helpers/fixtures.ts';

const BENCHES: Readonly<Record<string, () => Promise<void>>> = {
  api: benchApi,
  'api-update': benchApiUpdate,
  allocator: benchAllocator,
  agent: benchAgent,
  e2e: benchE2e,
};

const wanted = process.argv.slice(2);
const names = wanted.length === 0 ? Object.keys(BENCHES) : wanted;
try {
  for (const name of names) {
    const run = BENCHES[name];
    if (run === undefined)
      throw new Error(`unknown benchmark "${name}"; known: ${Object.keys(BENCHES).join(', ')}`);
    process.stdout.write(`\n== ${name} ==\n`);
    await run();
  }
} finally {
  await stopFixtures();
}
