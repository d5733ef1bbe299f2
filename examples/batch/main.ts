#!/usr/bin/env node
// examples/batch: `node examples/batch/main.ts --tasks 10 --command 'sleep 1' --resources
// 'cpus:0.1;mem:32'`. Runs the batch, prints the summary; exit code 0 when every task finished.
import { Command, InvalidArgumentError } from 'commander';
import { systemClock } from '../../core/util/clock.ts';
import {
  ensureNamespace,
  loadKubeConfig,
  onInterrupt,
  resourceMap,
  stdoutLine,
} from '../common/process.ts';
import { formatSummary, runBatch } from './batch.ts';

/** BatchFlags are the command-line flags of the batch example. */
interface BatchFlags {
  kubeconfig?: string;
  namespace: string;
  framework: string;
  role: string;
  principal?: string;
  tasks: number;
  command: string;
  image?: string;
  resources: string;
  refuseSeconds: number;
  keep: boolean;
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('not a whole number');
  return n;
}

/** main parses argv (without node and the script), runs the batch and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let code = 2;
  const cmd = new Command('batch')
    .description('run N tasks, declining the offers it does not need, and report a summary')
    .option('--tasks <n>', 'how many tasks', count, 4)
    .option('--command <cmd>', 'shell command of every task', 'sleep 1')
    .option('--image <ref>', 'OCI image to run the command in')
    .option('--resources <text>', 'resources of each task, Mesos text form', 'cpus:0.1;mem:32')
    .option('--refuse-seconds <n>', 'how long declined offers stay away', count, 30)
    .option('--namespace <ns>', 'namespace of the framework and its tasks', 'default')
    .option('--role <role>', 'role to receive offers for', '*')
    .option('--framework <name>', 'name of the Framework record', 'corral-batch')
    .option('--principal <principal>', 'framework principal')
    .option('--keep', 'keep the Framework and the Task records at the end', false)
    .option('--kubeconfig <file>', 'kubeconfig (default: $KUBECONFIG or ~/.kube/config)')
    .action(async (f: BatchFlags) => {
      const interrupt = onInterrupt();
      try {
        const kubeConfig = loadKubeConfig(f.kubeconfig);
        await ensureNamespace(kubeConfig, f.namespace);
        const summary = await runBatch({
          kubeConfig,
          namespace: f.namespace,
          framework: f.framework,
          role: f.role,
          ...(f.principal === undefined ? {} : { principal: f.principal }),
          tasks: f.tasks,
          command: f.command,
          ...(f.image === undefined ? {} : { image: f.image }),
          resources: resourceMap(f.resources),
          refuseSeconds: f.refuseSeconds,
          keep: f.keep,
          out: stdoutLine,
          clock: systemClock,
          signal: interrupt.signal,
        });
        stdoutLine(formatSummary(summary));
        code = summary.finished === summary.total ? 0 : 1;
      } catch (e) {
        process.stderr.write(`batch: ${e instanceof Error ? e.message : String(e)}\n`);
        code = 2;
      } finally {
        interrupt.dispose();
      }
    });
  await cmd.parseAsync([...argv], { from: 'user' });
  return code;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
