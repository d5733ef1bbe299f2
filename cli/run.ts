// corral run: the execute example (examples/execute) as a corral subcommand, like mesos-execute.
import { Command } from 'commander';
import type { ExecuteFlags } from '../examples/execute/main.ts';
import { executeMain, withExecuteFlags } from '../examples/execute/main.ts';

/** runCommand is `corral run --name <task> --command <cmd> | --image <ref> [--resources ...]`. */
export function runCommand(): Command {
  return withExecuteFlags(new Command('run'))
    .description('run one command or image as a task and stream its status (mesos-execute)')
    .action(async (flags: ExecuteFlags) => {
      process.exitCode = await executeMain(flags);
    });
}
