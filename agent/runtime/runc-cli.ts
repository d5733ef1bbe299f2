// The runc adapter: every `runc --root <root> …` call goes through here, and runc's exit codes
// and stderr are mapped to the runtime's errors here and nowhere else (runc 1.1.5 messages, seen
// on this host: "container does not exist", "container not running", "container with given ID
// already exists", "cannot delete container … that is not stopped: running").
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../core/util/clock.ts';
import { assertNever } from '../../core/util/assert-never.ts';
import type { CommandResult } from './command.ts';
import { runCommand, runcMessage } from './command.ts';
import { ContainerLaunchError, ContainerNotFoundError, RuntimeCommandError } from './errors.ts';
import { startThroughFifo } from './exec-fifo.ts';

/** RUNC_STATUSES are the statuses `runc state` reports. */
export const RUNC_STATUSES = ['creating', 'created', 'running', 'paused', 'stopped'] as const;

/** RuncStatus is one of RUNC_STATUSES. */
export type RuncStatus = (typeof RUNC_STATUSES)[number];

/** RuncState is the part of `runc state` / `runc list --format json` the runtime reads. */
export interface RuncState {
  readonly id: string;
  readonly pid: number;
  readonly status: RuncStatus;
  readonly bundle: string;
  readonly created: string;
}

/** FastStart lets start() go through the exec fifo: the init's pid and how long to wait. */
export interface FastStart {
  readonly pid: number;
  readonly clock: Clock;
  readonly timeoutMs: number;
}

/** RuncExecOptions are `runc exec` flags. */
export interface RuncExecOptions {
  readonly tty: boolean;
  readonly env: readonly string[];
  readonly cwd?: string;
  readonly user?: string;
}

const NOT_FOUND = /container does not exist/;
const NOT_RUNNING = /container not running|process already finished/;
const NOT_STOPPED = /is not stopped/;

function toState(raw: unknown): RuncState {
  const o = raw as Partial<Record<keyof RuncState, unknown>>;
  const status = RUNC_STATUSES.find(s => s === o.status);
  if (typeof o.id !== 'string' || status === undefined) {
    throw new RuntimeCommandError('runc state', 0, `unexpected output ${JSON.stringify(raw)}`);
  }
  return {
    id: o.id,
    pid: typeof o.pid === 'number' ? o.pid : 0,
    status,
    bundle: typeof o.bundle === 'string' ? o.bundle : '',
    created: typeof o.created === 'string' ? o.created : '',
  };
}

/** RuncCli runs runc with a private state root. */
export class RuncCli {
  readonly bin: string;
  readonly root: string;

  constructor(bin: string, root: string) {
    this.bin = bin;
    this.root = root;
  }

  #run(args: readonly string[]): Promise<CommandResult> {
    return runCommand(this.bin, ['--root', this.root, ...args]);
  }

  #fail(args: readonly string[], r: CommandResult): never {
    throw new RuntimeCommandError(`runc ${args[0] ?? ''}`, r.code, runcMessage(r.stderr));
  }

  /** state is the container's runc state, or undefined when runc does not know it. */
  async state(id: string): Promise<RuncState | undefined> {
    const r = await this.#run(['state', id]);
    if (r.code === 0) return toState(JSON.parse(r.stdout));
    if (NOT_FOUND.test(r.stderr)) return undefined;
    return this.#fail(['state', id], r);
  }

  /** list is every container under the root (runc prints `null` for none). */
  async list(): Promise<RuncState[]> {
    const r = await this.#run(['list', '--format', 'json']);
    if (r.code !== 0) return this.#fail(['list'], r);
    const parsed = JSON.parse(r.stdout) as unknown[] | null;
    return (parsed ?? []).map(toState);
  }

  /**
   * knows is true while runc has state for `id` (its dir in the root), as `runc state` would
   * say, without running runc: runc's create refuses an id whose dir exists.
   */
  async knows(id: string): Promise<boolean> {
    return stat(join(this.root, id)).then(
      s => s.isDirectory(),
      () => false,
    );
  }

  /**
   * start runs a created container's process: through its exec fifo when `fast` gives the init's
   * pid (exec-fifo.ts), else, or when there is no fifo to go through, with `runc start`.
   */
  async start(id: string, fast?: FastStart): Promise<void> {
    if (fast !== undefined) {
      let how;
      try {
        how = await startThroughFifo({ runcRoot: this.root, id, ...fast });
      } catch (e) {
        throw new ContainerLaunchError(id, e instanceof Error ? e.message : String(e));
      }
      switch (how) {
        case 'started':
          return;
        case 'dead':
          throw new ContainerLaunchError(id, 'container process is already dead');
        case 'noFifo':
          break; // runc knows best: started already, stopped, or not its layout
        default:
          assertNever(how, 'fifo start');
      }
    }
    const r = await this.#run(['start', id]);
    if (r.code === 0) return;
    if (NOT_FOUND.test(r.stderr)) throw new ContainerNotFoundError(id);
    throw new ContainerLaunchError(id, runcMessage(r.stderr));
  }

  /** kill signals the init process; false when it was not running (already exited). */
  async kill(id: string, signal: string): Promise<boolean> {
    const r = await this.#run(['kill', id, signal.replace(/^SIG/, '')]);
    if (r.code === 0) return true;
    if (NOT_RUNNING.test(r.stderr) || NOT_FOUND.test(r.stderr)) return false;
    return this.#fail(['kill', id], r);
  }

  /** delete removes runc's state and the cgroup leaf; a missing container is fine. */
  async delete(id: string, force = false): Promise<void> {
    const args = force ? ['delete', '--force', id] : ['delete', id];
    const r = await this.#run(args);
    if (r.code === 0 || NOT_FOUND.test(r.stderr)) return;
    if (!force && NOT_STOPPED.test(r.stderr)) {
      await this.delete(id, true);
      return;
    }
    this.#fail(args, r);
  }

  /** execArgv is the argv (after the binary) of a foreground `runc exec`. */
  execArgv(id: string, argv: readonly string[], opts: RuncExecOptions): string[] {
    const flags: string[] = [];
    if (opts.tty) flags.push('--tty');
    for (const e of opts.env) flags.push('--env', e);
    if (opts.cwd !== undefined) flags.push('--cwd', opts.cwd);
    if (opts.user !== undefined) flags.push('--user', opts.user);
    return ['--root', this.root, 'exec', ...flags, id, ...argv];
  }
}
