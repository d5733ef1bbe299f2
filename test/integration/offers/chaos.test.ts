// Chaos property (fast-check) against the real API server and etcd: random accepts (reserve,
// create, launch, unreserve, destroy mixes), declines with filters, rescinds (and rescinds racing
// accepts), kills, agents lost, returning and marked gone, and controllers restarted mid-flight,
// with the real allocator, flow controllers and hollow agents. After every step no resource is
// double-booked; at the end, at rest, every Task and Operation state is one Mesos allows given
// what happened, and every accepted answer left exactly one of each of its records.
// CHAOS_RUNS and CHAOS_STEPS tune it; CHAOS_SEED (and CHAOS_PATH) replay a failure's scenario
// (the cluster's timing is not replayed); CHAOS_TRACE=1 prints what each run did.
import fc from 'fast-check';
import { Client } from '../../../core/client/index.ts';
import type { TestApiServer } from '../../helpers/api-server.ts';
import { startTestApiServer } from '../../helpers/api-server.ts';
import { ChaosRun } from './chaos-run.ts';
import { REGRESSIONS, describeScenario, scenarios } from './chaos-scenario.ts';

const RUNS = Number(process.env['CHAOS_RUNS'] ?? 6);
const STEPS = Number(process.env['CHAOS_STEPS'] ?? 10);
const SEED = process.env['CHAOS_SEED'];
const PATH = process.env['CHAOS_PATH'];

describe('offer flow chaos through the real API (allocator, flow controllers, hollow agents)', function () {
  // passing takes well under a minute; a failure shrinks until 150 s in, then reports the
  // smallest scenario found so far
  this.timeout(240_000);
  let api: TestApiServer;
  let client: Client;
  before(async () => {
    api = await startTestApiServer({ crdDir: 'crds' });
    client = Client.fromKubeConfig(api.kubeConfig);
  });
  after(async () => {
    await client.close();
    await api.stop();
  });

  it('never double-books an agent; at rest every state is one Mesos allows and every record exists once', async () => {
    await fc.assert(
      fc.asyncProperty(scenarios(STEPS), async scenario => {
        const run = await ChaosRun.start(api, client, scenario);
        try {
          await run.play();
          if (process.env['CHAOS_TRACE'] !== undefined)
            process.stdout.write(`${describeScenario(scenario)}\n${run.trace.join('\n')}\n\n`);
        } finally {
          await run.stop();
        }
      }),
      {
        numRuns: RUNS,
        examples: REGRESSIONS.map(s => [s]),
        interruptAfterTimeLimit: 150_000,
        ...(SEED === undefined ? {} : { seed: Number(SEED) }),
        ...(PATH === undefined ? {} : { path: PATH }),
      },
    );
  });
});
