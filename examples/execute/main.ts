#!/usr/bin/env node
// examples/execute: `node examples/execute/main.ts --name hello --command 'echo hi'`, and what
// `corral run` calls (cli/run.ts). Parses mesos-execute's flags and runs runExecute.
import { Command, Option } from 'commander';
import { systemClock } from '../../core/util/clock.ts';
import {
  ensureNamespace,
  loadKubeConfig,
  onInterrupt,
  resourceMap,
  stdoutLine,
} from '../common/process.ts';
import { runExecute } from './execute.ts';

/** ExecuteFlags are the command-line flags of the execute example. */
export interface ExecuteFlags {
  kubeconfig?: string;
  namespace: string;
  framework: string;
  role: string;
  principal?: string;
  name: string;
  command?: string;
  image?: string;
  resources: string;
  keep: boolean;
}

/** withExecuteFlags declares the flags on a command (`corral run` and this program). */
export function withExecuteFlags(cmd: Command): Command {
  return cmd
    .requiredOption('--name <name>', 'the task name (unique in the namespace)')
    .option('--command <cmd>', 'shell command to run')
    .option('--image <ref>', 'OCI image to run (its entrypoint, or --command inside it)')
    .option('--resources <text>', 'task resources, Mesos text form', 'cpus:0.1;mem:32')
    .option('--namespace <ns>', 'namespace of the framework and its task', 'default')
    .option('--role <role>', 'role to receive offers for', '*')
    .option('--framework <name>', 'name of the Framework record', 'corral-execute')
    .option('--principal <principal>', 'framework principal')
    .option('--keep', 'keep the Framework and the Task record at the end', false)
    .addOption(
      new Option('--kubeconfig <file>', 'kubeconfig (default: $KUBECONFIG or ~/.kube/config)'),
    );
}

/** executeMain runs the example with parsed flags and returns its exit code. */
export async function executeMain(f: ExecuteFlags): Promise<number> {
  const interrupt = onInterrupt();
  try {
    const kubeConfig = loadKubeConfig(f.kubeconfig);
    await ensureNamespace(kubeConfig, f.namespace);
    return await runExecute({
      kubeConfig,
      namespace: f.namespace,
      framework: f.framework,
      role: f.role,
      ...(f.principal === undefined ? {} : { principal: f.principal }),
      name: f.name,
      ...(f.command === undefined ? {} : { command: f.command }),
      ...(f.image === undefined ? {} : { image: f.image }),
      resources: resourceMap(f.resources),
      keep: f.keep,
      out: stdoutLine,
      clock: systemClock,
      signal: interrupt.signal,
    });
  } catch (e) {
    process.stderr.write(`execute: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  } finally {
    interrupt.dispose();
  }
}

/** main parses argv (without node and the script) and runs the example. */
export async function main(argv: readonly string[]): Promise<number> {
  let code = 2;
  const cmd = withExecuteFlags(new Command('execute'))
    .description('run one command or image as a task and stream its status (mesos-execute)')
    .action(async (flags: ExecuteFlags) => {
      code = await executeMain(flags);
    });
  await cmd.parseAsync([...argv], { from: 'user' });
  return code;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
