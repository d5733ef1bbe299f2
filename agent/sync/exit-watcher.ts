// Notices containers ending without asking runc: `runtime.wait` polls `runc state` (a process
// spawn per poll), which a hundred running tasks cannot afford. conmon writes its exit file the
// moment the container's init is reaped, so a stat per container per poll finds almost every end;
// a conmon that died without writing one is caught by a slower liveness check of its pid. Either
// way the owner is told, and asks the runtime for the container's state once.
import { readFile, stat } from 'node:fs/promises';
import type { Clock } from '../../core/util/clock.ts';
import { containerPaths } from '../runtime/index.ts';

/** ExitWatcherOptions wire the watcher. */
export interface ExitWatcherOptions {
  readonly workDir: string;
  readonly clock: Clock;
  /** onExit hears each watched container that seems to have ended (once; it is unwatched). */
  readonly onExit: (containerId: string) => void;
  /** pollMs is how often exit files are looked for; 200 ms by default. */
  readonly pollMs?: number;
  /** livenessMs is how often conmon's pid is checked; 2 s by default. */
  readonly livenessMs?: number;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

// conmonAlive: the pid in conmon's pid file is a live conmon of this container.
async function conmonAlive(workDir: string, id: string): Promise<boolean> {
  try {
    const pid = Number((await readFile(containerPaths(workDir, id).conmonPidFile, 'utf8')).trim());
    if (!Number.isInteger(pid) || pid <= 1) return false;
    const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    return argv.some(a => a.endsWith('conmon')) && argv.includes(id);
  } catch {
    return false;
  }
}

/** ExitWatcher polls watched containers for their end. */
export class ExitWatcher {
  readonly #o: ExitWatcherOptions;
  readonly #watched = new Set<string>();

  constructor(options: ExitWatcherOptions) {
    this.#o = options;
  }

  /** watch starts looking for the end of a started container. */
  watch(containerId: string): void {
    this.#watched.add(containerId);
  }

  /** unwatch stops looking. */
  unwatch(containerId: string): void {
    this.#watched.delete(containerId);
  }

  /** checkNow looks once; `liveness` also checks conmon of each container still running. */
  async checkNow(liveness: boolean): Promise<void> {
    for (const id of [...this.#watched]) {
      const paths = containerPaths(this.#o.workDir, id);
      const ended =
        (await exists(paths.exitFile)) ||
        (await exists(paths.result)) ||
        (liveness && !(await conmonAlive(this.#o.workDir, id)));
      if (ended && this.#watched.delete(id)) this.#o.onExit(id);
    }
  }

  /** run polls until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const pollMs = this.#o.pollMs ?? 200;
    const every = Math.max(1, Math.round((this.#o.livenessMs ?? 2_000) / pollMs));
    for (let round = 1; !signal.aborted; round++) {
      try {
        await this.#o.clock.sleep(pollMs, signal);
      } catch {
        return;
      }
      await this.checkNow(round % every === 0);
    }
  }
}
