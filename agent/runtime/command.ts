// Runs a host binary to completion and returns what it said, never throwing for a non-zero exit:
// the adapters (runc-cli.ts, rootfs.ts) decide what each exit means and map it once. The process
// is started by a spawn helper process (spawner.ts), so its fork and exec never stall the event
// loop.
import { assertNever } from '../../core/util/assert-never.ts';
import { processSpawner } from './spawner.ts';

/** CommandResult is a finished command: `code` null means it died by a signal or timed out. */
export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** runCommand runs `bin args` with no shell; a runaway command is killed after `timeoutMs`. */
export async function runCommand(
  bin: string,
  args: readonly string[],
  timeoutMs = 60_000,
): Promise<CommandResult> {
  const reply = await processSpawner().submit({ kind: 'run', bin, args, timeoutMs });
  switch (reply.kind) {
    case 'run':
      return { code: reply.code, stdout: reply.stdout, stderr: reply.stderr };
    case 'failed':
      throw new Error(reply.message);
    case 'detached':
      throw new Error(`unexpected reply to running ${bin}`);
    default:
      return assertNever(reply, 'spawn reply');
  }
}

/**
 * runcMessage pulls the human part out of runc's logrus stderr (`time=… level=error msg="…"`),
 * falling back to the raw text.
 */
export function runcMessage(stderr: string): string {
  const msgs = [...stderr.matchAll(/level=(?:error|fatal) msg="((?:[^"\\]|\\.)*)"/g)].map(m =>
    (m[1] ?? '').replace(/\\(.)/g, '$1'),
  );
  const last = msgs.at(-1);
  return last ?? stderr.trim();
}
