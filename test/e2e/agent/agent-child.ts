// An agent in a process of its own, for the restart test: argv[2] is a JSON ChildAgentOptions.
// It prints `started` once the agent runs and then waits to be killed (SIGKILL, to test a crash).
import { KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import { startAgent } from '../../../agent/main.ts';

/** ChildAgentOptions are what crosses the process boundary. */
export interface ChildAgentOptions {
  readonly kubeconfigPath: string;
  readonly name: string;
  readonly workDir: string;
  readonly runcRoot: string;
}

const o = JSON.parse(process.argv[2] ?? '{}') as ChildAgentOptions;
const kubeConfig = new KubeConfig();
kubeConfig.loadFromFile(o.kubeconfigPath);
await startAgent({
  kubeConfig,
  name: o.name,
  workDir: o.workDir,
  runcRoot: o.runcRoot,
  heartbeatIntervalMs: 1_000,
  logger: pino({ level: process.env['CORRAL_TEST_LOG'] ?? 'silent' }, pino.destination(2)),
});
process.stdout.write('started\n');
setInterval(() => undefined, 60_000);
