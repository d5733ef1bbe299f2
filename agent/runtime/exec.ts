// `runc exec` as a foreground child of the caller, with pipes for stdio (containers-here §2.9).
// runc needs a real terminal for `--tty`, and Node cannot receive a console-socket fd, so a tty
// exec runs under util-linux `script`, which gives runc a pty and copies it to our pipes.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import type { RuncCli } from './runc-cli.ts';
import type { ExecOptions } from './types.ts';

/** shellQuote quotes one word for /bin/sh. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_\-+=.,/:@%]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** execCommand is the binary and argv that run `argv` in container `id`. */
export function execCommand(
  runc: RuncCli,
  id: string,
  argv: readonly string[],
  options: ExecOptions = {},
): { bin: string; args: string[] } {
  const tty = options.tty === true;
  const u = options.user;
  const runcArgs = runc.execArgv(id, argv, {
    tty,
    env: (options.env ?? []).map(e => `${e.name}=${e.value ?? ''}`),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(u === undefined ? {} : { user: `${u.uid}:${u.gid}` }),
  });
  if (!tty) return { bin: runc.bin, args: runcArgs };
  // -q: no banner; -e: exit with the child's code; -c: the command; /dev/null: no typescript file
  const line = [runc.bin, ...runcArgs].map(shellQuote).join(' ');
  return { bin: 'script', args: ['-q', '-e', '-c', line, '/dev/null'] };
}

/**
 * spawnExec starts the exec. The process dies with the caller (an agent restart ends exec
 * sessions, as Mesos ends them when the connection closes); signals sent to it are forwarded by
 * runc to the exec'd process, except SIGKILL, which leaves that process running in the container.
 */
export function spawnExec(
  runc: RuncCli,
  id: string,
  argv: readonly string[],
  options: ExecOptions = {},
): ChildProcessWithoutNullStreams {
  const { bin, args } = execCommand(runc, id, argv, options);
  return spawn(bin, args, { stdio: 'pipe' });
}
