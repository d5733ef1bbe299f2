// Runs a host binary to completion and returns what it said, never throwing for a non-zero exit:
// the adapters (runc-cli.ts, rootfs.ts) decide what each exit means and map it once.
import { execFile } from 'node:child_process';

/** CommandResult is a finished command: `code` null means it died by a signal or timed out. */
export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** runCommand runs `bin args` with no shell; a runaway command is killed after `timeoutMs`. */
export function runCommand(
  bin: string,
  args: readonly string[],
  timeoutMs = 60_000,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      [...args],
      { timeout: timeoutMs, maxBuffer: 16 << 20, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err === null) {
          resolve({ code: 0, stdout, stderr });
          return;
        }
        const code = (err as { code?: unknown }).code;
        // a string code (ENOENT, EACCES) means the binary never ran
        if (typeof code === 'string') {
          reject(new Error(`cannot run ${bin}: ${err.message}`, { cause: err }));
          return;
        }
        resolve({ code: typeof code === 'number' ? code : null, stdout, stderr });
      },
    );
  });
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
