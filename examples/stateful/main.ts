#!/usr/bin/env node
// examples/stateful: `node examples/stateful/main.ts` (run it again: the next task finds the
// data); `--destroy` releases the volume and the reservation.
import { Command, InvalidArgumentError } from 'commander';
import { systemClock } from '../../core/util/clock.ts';
import {
  ensureNamespace,
  loadKubeConfig,
  onInterrupt,
  resourceMap,
  stdoutLine,
} from '../common/process.ts';
import { runStateful } from './stateful.ts';

/** StatefulFlags are the command-line flags of the stateful example. */
interface StatefulFlags {
  kubeconfig?: string;
  namespace: string;
  framework: string;
  role: string;
  principal?: string;
  persistenceId?: string;
  containerPath: string;
  disk: number;
  resources: string;
  command?: string;
  destroy: boolean;
}

function megabytes(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('not a size in MB');
  return n;
}

/** main parses argv (without node and the script), runs once and returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let code = 2;
  const cmd = new Command('stateful')
    .description('keep a task on a persistent volume across runs (RESERVE, CREATE, LAUNCH)')
    .option(
      '--framework <name>',
      'name of the Framework record (the same on every run)',
      'corral-stateful',
    )
    .option('--role <role>', 'role to reserve for', 'stateful')
    .option('--principal <principal>', 'framework principal (default: the framework name)')
    .option('--persistence-id <id>', 'volume id (default: <framework>-data)')
    .option('--container-path <path>', 'where the task sees the volume (under the sandbox)', 'data')
    .option('--disk <mb>', 'volume size in MB', megabytes, 64)
    .option('--resources <text>', 'task resources, Mesos text form', 'cpus:0.1;mem:32')
    .option('--command <cmd>', 'task command (default: append a line to $VOLUME/runs.log)')
    .option('--destroy', 'destroy the volume, unreserve, and remove the framework', false)
    .option('--namespace <ns>', 'namespace of the framework and its tasks', 'default')
    .option('--kubeconfig <file>', 'kubeconfig (default: $KUBECONFIG or ~/.kube/config)')
    .action(async (f: StatefulFlags) => {
      const interrupt = onInterrupt();
      try {
        const kubeConfig = loadKubeConfig(f.kubeconfig);
        await ensureNamespace(kubeConfig, f.namespace);
        code = await runStateful({
          kubeConfig,
          namespace: f.namespace,
          framework: f.framework,
          role: f.role,
          principal: f.principal ?? f.framework,
          persistenceId: f.persistenceId ?? `${f.framework}-data`,
          containerPath: f.containerPath,
          diskMb: f.disk,
          resources: resourceMap(f.resources),
          ...(f.command === undefined ? {} : { command: f.command }),
          destroy: f.destroy,
          out: stdoutLine,
          clock: systemClock,
          signal: interrupt.signal,
        });
      } catch (e) {
        process.stderr.write(`stateful: ${e instanceof Error ? e.message : String(e)}\n`);
        code = 2;
      } finally {
        interrupt.dispose();
      }
    });
  await cmd.parseAsync([...argv], { from: 'user' });
  return code;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
