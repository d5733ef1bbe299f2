// Why the agent killed a container, kept on disk (`<workDir>/agent/kills/<id>.json`) from the
// moment it decides to kill until the container is cleaned up: the exit that follows is reported
// by that cause (a broken limit is TASK_FAILED with its reason, not a plain signal death), also
// by an agent that restarted in between. The first cause wins: a task killed for its ports and
// deleted meanwhile still failed for its ports.
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KillCause } from '../status/observation.ts';

/** KillCauses remembers the kill cause of each container the agent decided to kill. */
export class KillCauses {
  readonly #dir: string;
  readonly #causes = new Map<string, KillCause>();

  private constructor(dir: string) {
    this.#dir = dir;
  }

  /** open loads the causes a previous run recorded under `dir`. */
  static async open(dir: string): Promise<KillCauses> {
    await mkdir(dir, { recursive: true });
    const store = new KillCauses(dir);
    for (const name of await readdir(dir)) {
      if (!name.endsWith('.json')) {
        await rm(join(dir, name), { force: true }); // a write cut short
        continue;
      }
      const text = await readFile(join(dir, name), 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      try {
        store.#causes.set(name.slice(0, -'.json'.length), JSON.parse(text) as KillCause);
      } catch {
        await rm(join(dir, name), { force: true });
      }
    }
    return store;
  }

  /** get is the recorded cause of a container's kill. */
  get(containerId: string): KillCause | undefined {
    return this.#causes.get(containerId);
  }

  /** record keeps `cause` unless one is recorded already; returns the cause in force. */
  async record(containerId: string, cause: KillCause): Promise<KillCause> {
    const old = this.#causes.get(containerId);
    if (old !== undefined) return old;
    this.#causes.set(containerId, cause);
    const file = join(this.#dir, `${containerId}.json`);
    await writeFile(`${file}.tmp`, JSON.stringify(cause));
    await rename(`${file}.tmp`, file);
    return cause;
  }

  /** clear forgets a container's cause once it is cleaned up. */
  async clear(containerId: string): Promise<void> {
    this.#causes.delete(containerId);
    await rm(join(this.#dir, `${containerId}.json`), { force: true });
  }
}
