// Standalone containers (Mesos 1.5, mesos-features §9.3): launched by an operator through the
// agent API, outside the offer cycle: no framework, no Task, no status updates, no restarts, and
// no cleanup until the operator removes them (Mesos REMOVE_CONTAINER). They get the same runtime,
// cgroups and default seccomp filter as tasks; the runtime's record (with the annotations set
// here) is their only state, so they survive agent restarts like everything else.
import type { Logger } from 'pino';
import type { ImageStore } from '../images/index.ts';
import { imageProcess, resolveUser } from '../images/index.ts';
import type { SeccompIsolator } from '../isolation/seccomp-select.ts';
import { ContainerExistsError, ContainerNotFoundError } from '../runtime/index.ts';
import type {
  ContainerInfo,
  ContainerProcess,
  ContainerRootfs,
  ContainerRuntime,
  ContainerState,
} from '../runtime/types.ts';
import { STANDALONE_ANNOTATION } from '../sync/names.ts';
import { commandArgv } from '../sync/task-process.ts';
import type { StandaloneRequest } from './request.ts';

const STDIN_ANNOTATION = 'corral.dev/stdin';
const IMAGE_ANNOTATION = 'corral.dev/image';

/** StandaloneInfo is what the API reports of a standalone container. */
export interface StandaloneInfo {
  readonly id: string;
  readonly state: ContainerState;
  readonly image?: string;
  readonly stdin: boolean;
  readonly createdAt?: string;
}

/** StandaloneDeps are the agent pieces standalone containers use. */
export interface StandaloneDeps {
  readonly runtime: ContainerRuntime;
  readonly images: ImageStore;
  readonly seccomp: SeccompIsolator;
  readonly logger: Logger;
}

function infoOf(c: ContainerInfo): StandaloneInfo {
  const image = c.annotations[IMAGE_ANNOTATION];
  return {
    id: c.id,
    state: c.state,
    ...(image === undefined ? {} : { image }),
    stdin: c.annotations[STDIN_ANNOTATION] === 'true',
    ...(c.createdAt === undefined ? {} : { createdAt: c.createdAt }),
  };
}

/** StandaloneContainers launches, lists and removes an operator's containers. */
export class StandaloneContainers {
  readonly #d: StandaloneDeps;

  constructor(deps: StandaloneDeps) {
    this.#d = deps;
  }

  async #process(r: StandaloneRequest & { id: string }): Promise<{
    process: ContainerProcess;
    rootfs: ContainerRootfs;
  }> {
    const env = r.env ?? [];
    if (r.image === undefined) {
      return { process: { args: commandArgv(r.command ?? {}), env }, rootfs: { kind: 'host' } };
    }
    const { images } = this.#d;
    const { record, view } = await images.acquire(r.image, r.id);
    const proc = imageProcess((await images.config(record.digest)).defaults, r.command, env);
    const user = proc.user === undefined ? {} : { user: await resolveUser(view.path, proc.user) };
    return {
      process: { args: proc.args, env: proc.env, cwd: proc.cwd, ...user },
      rootfs: { kind: 'image', path: view.path },
    };
  }

  /** launch creates and starts one; `launched` is false when the id is already in use (202). */
  async launch(r: StandaloneRequest & { id: string }): Promise<{ launched: boolean }> {
    const { runtime } = this.#d;
    if ((await this.#find(r.id)) !== undefined) return { launched: false };
    const seccomp = await this.#d.seccomp.forTask(undefined);
    try {
      await runtime.create({
        id: r.id,
        ...(await this.#process(r)),
        resources: {
          requests: r.resources ?? {},
          ...(r.limits === undefined ? {} : { limits: r.limits }),
        },
        network: r.network ?? 'host',
        ...(seccomp.kind === 'filtered' ? { seccomp: seccomp.seccomp } : {}),
        stdin: r.stdin === true,
        annotations: {
          [STANDALONE_ANNOTATION]: 'true',
          [STDIN_ANNOTATION]: String(r.stdin === true),
          ...(r.image === undefined ? {} : { [IMAGE_ANNOTATION]: r.image }),
        },
      });
    } catch (e) {
      if (e instanceof ContainerExistsError) return { launched: false };
      await this.#d.images.releaseLease(r.id);
      throw e;
    }
    try {
      await runtime.start(r.id);
    } catch (e) {
      await this.remove(r.id);
      throw e;
    }
    this.#d.logger.info({ container: r.id, image: r.image }, 'standalone container launched');
    return { launched: true };
  }

  async #find(id: string): Promise<StandaloneInfo | undefined> {
    const c = (await this.#d.runtime.list()).find(
      x => x.id === id && x.annotations[STANDALONE_ANNOTATION] !== undefined,
    );
    return c === undefined ? undefined : infoOf(c);
  }

  /** list reports every standalone container of this agent. */
  async list(): Promise<StandaloneInfo[]> {
    const all = await this.#d.runtime.list();
    return all.filter(c => c.annotations[STANDALONE_ANNOTATION] !== undefined).map(infoOf);
  }

  /** get reports one; ContainerNotFoundError for an unknown (or non-standalone) id. */
  async get(id: string): Promise<StandaloneInfo> {
    const found = await this.#find(id);
    if (found === undefined) throw new ContainerNotFoundError(id);
    return found;
  }

  /** wait settles once the container has ended (Mesos WAIT_CONTAINER). */
  async wait(id: string, signal?: AbortSignal): Promise<ContainerState> {
    await this.get(id);
    return this.#d.runtime.wait(id, signal);
  }

  /**
   * killAll removes every standalone container (an agent marked gone stands down); one that
   * cannot be removed is logged and the others still go. Returns the ids removed.
   */
  async killAll(): Promise<string[]> {
    const removed: string[] = [];
    for (const c of await this.list()) {
      try {
        if (await this.remove(c.id)) removed.push(c.id);
      } catch (err) {
        this.#d.logger.warn({ container: c.id, err }, 'could not remove standalone container');
      }
    }
    return removed;
  }

  /** remove kills (KILL at once) and destroys it; false when there was none (404). */
  async remove(id: string): Promise<boolean> {
    if ((await this.#find(id)) === undefined) return false;
    await this.#d.runtime.destroy(id);
    await this.#d.images.releaseLease(id);
    this.#d.logger.info({ container: id }, 'standalone container removed');
    return true;
  }
}
