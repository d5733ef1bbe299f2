// ContainerRuntime over runc, one conmon per container. The object holds no container state in
// memory: everything is on disk (the work dir, runc's private root, conmon's exit files), so a new
// object over the same directories after an agent restart sees exactly what the old one did.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import type { Clock } from '../../core/util/clock.ts';
import { connectAttach } from './attach.ts';
import type { CgroupMounts } from './cgroup-fs.ts';
import { CgroupReader, readCgroupMounts } from './cgroup-fs.ts';
import { listContainerIds, readPidFile, readRecord } from './container-store.ts';
import type { ContainerRecord } from './container-store.ts';
import { ContainerNotFoundError, ContainerNotRunningError } from './errors.ts';
import { spawnExec } from './exec.ts';
import { launch } from './launch.ts';
import { readLogFile } from './logs.ts';
import { cgroupsPath, containerPaths, validateId } from './paths.ts';
import { probeHost } from './probe.ts';
import type { Skeleton } from './skeleton.ts';
import { DEFAULT_HOST_PATHS, buildSharedSkeleton } from './skeleton.ts';
import { RuncCli } from './runc-cli.ts';
import type { TeardownContext } from './teardown.ts';
import { observe, removeContainer, stopContainer } from './teardown.ts';
import type {
  Attachment,
  ContainerInfo,
  ContainerRuntime,
  ContainerSpec,
  ContainerState,
  ContainerStats,
  DestroyOptions,
  ExecOptions,
  KillOptions,
  ReadLogsOptions,
} from './types.ts';

/**
 * RuncRuntimeOptions configure the runtime. `runcRoot` defaults to `/run/corral/<agentId>/runc`
 * (tmpfs, so a reboot forgets containers that a reboot killed); `runc`/`conmon` are names looked
 * up on PATH or absolute paths; `pidsLimit` (default 4096) applies when a spec sets none;
 * `enableCfs` and `hostMemoryBytes` are as in CgroupPolicy; `hostPaths` are what a no-image
 * container sees of the host (DEFAULT_HOST_PATHS).
 */
export interface RuncRuntimeOptions {
  readonly agentId: string;
  readonly workDir: string;
  readonly clock: Clock;
  readonly runcRoot?: string;
  readonly runc?: string;
  readonly conmon?: string;
  readonly pidsLimit?: number;
  readonly enableCfs?: boolean;
  readonly hostMemoryBytes?: number;
  readonly hostPaths?: readonly string[];
  readonly logSizeMax?: number;
  readonly launchTimeoutMs?: number;
  readonly killTimeoutMs?: number;
}

const WAIT_POLL_MS = 100;

/** RuncRuntime is the ContainerRuntime of the agent; build it with `RuncRuntime.open`. */
export class RuncRuntime implements ContainerRuntime {
  readonly #o: RuncRuntimeOptions;
  readonly #runc: RuncCli;
  readonly #conmonPath: string;
  readonly #mounts: CgroupMounts;
  readonly #teardown: TeardownContext;
  #skeleton: Promise<Skeleton> | undefined;

  private constructor(o: RuncRuntimeOptions, tools: [RuncCli, string], mounts: CgroupMounts) {
    this.#o = o;
    [this.#runc, this.#conmonPath] = tools;
    this.#mounts = mounts;
    this.#teardown = {
      agentId: o.agentId,
      workDir: o.workDir,
      runc: this.#runc,
      clock: o.clock,
      cgroupMounts: mounts,
      killTimeoutMs: o.killTimeoutMs ?? 10_000,
    };
  }

  /** open checks the host (RuntimeUnavailableError names what is missing) and builds the runtime. */
  static async open(options: RuncRuntimeOptions): Promise<RuncRuntime> {
    validateId(options.agentId, 'agentId');
    const mounts = await readCgroupMounts();
    const tools = probeHost({
      uid: process.getuid?.() ?? -1,
      searchPath: process.env['PATH'] ?? '',
      runc: options.runc ?? 'runc',
      conmon: options.conmon ?? 'conmon',
      cgroupMounts: mounts,
    });
    const root = options.runcRoot ?? join('/run/corral', options.agentId, 'runc');
    return new RuncRuntime(options, [new RuncCli(tools.runcPath, root), tools.conmonPath], mounts);
  }

  async #record(id: string): Promise<ContainerRecord> {
    const rec = await readRecord(containerPaths(this.#o.workDir, id));
    if (rec === undefined) throw new ContainerNotFoundError(id);
    return rec;
  }

  async create(spec: ContainerSpec): Promise<void> {
    const o = this.#o;
    await launch(
      {
        agentId: o.agentId,
        workDir: o.workDir,
        runc: this.#runc,
        conmonPath: this.#conmonPath,
        clock: o.clock,
        policy: {
          enableCfs: o.enableCfs ?? false,
          pidsLimit: o.pidsLimit ?? 4096,
          ...(o.hostMemoryBytes === undefined ? {} : { hostMemoryBytes: o.hostMemoryBytes }),
        },
        hostPaths: o.hostPaths ?? DEFAULT_HOST_PATHS,
        sharedSkeleton: () => this.#sharedSkeleton(),
        ...(o.logSizeMax === undefined ? {} : { logSizeMax: o.logSizeMax }),
        launchTimeoutMs: o.launchTimeoutMs ?? 60_000,
        teardown: id => removeContainer(this.#teardown, id, true),
      },
      spec,
    );
  }

  // #sharedSkeleton builds the shared skeleton once per runtime object (a failed build is retried)
  #sharedSkeleton(): Promise<Skeleton> {
    const o = this.#o;
    this.#skeleton ??= buildSharedSkeleton(o.workDir, o.hostPaths ?? DEFAULT_HOST_PATHS).catch(
      (e: unknown) => {
        this.#skeleton = undefined;
        throw e;
      },
    );
    return this.#skeleton;
  }

  async start(id: string): Promise<void> {
    await this.#record(id);
    // runc create wrote the init's pid; with it, the start goes through the exec fifo
    const pid = await readPidFile(containerPaths(this.#o.workDir, id).containerPidFile);
    const fast =
      pid === undefined
        ? undefined
        : { pid, clock: this.#o.clock, timeoutMs: this.#o.launchTimeoutMs ?? 60_000 };
    await this.#runc.start(id, fast);
  }

  async state(id: string): Promise<ContainerState> {
    await this.#record(id);
    return observe(this.#teardown, id);
  }

  async wait(id: string, signal?: AbortSignal): Promise<ContainerState> {
    for (;;) {
      const s = await this.state(id);
      if (s.status === 'exited' || s.status === 'unknown') return s;
      await this.#o.clock.sleep(WAIT_POLL_MS, signal);
    }
  }

  async list(): Promise<ContainerInfo[]> {
    const out: ContainerInfo[] = [];
    const known = new Set<string>();
    for (const id of await listContainerIds(this.#o.workDir)) {
      const rec = await readRecord(containerPaths(this.#o.workDir, id));
      if (rec === undefined) continue; // a sandbox kept after destroy
      known.add(id);
      const state = await observe(this.#teardown, id).catch((e: unknown): ContainerState => ({
        status: 'unknown',
        reason: String(e),
      }));
      out.push({
        id,
        state,
        sandboxDir: rec.sandboxDir,
        logPath: rec.logPath,
        createdAt: rec.createdAt,
        annotations: rec.annotations,
      });
    }
    // runc's root is private to this agent, so anything else in it is ours but unrecorded
    for (const rs of await this.#runc.list()) {
      if (known.has(rs.id)) continue;
      const state = {
        status: 'unknown',
        reason: `runc has it (${rs.status}) but no record`,
      } as const;
      out.push({ id: rs.id, state, sandboxDir: '', logPath: '', annotations: {} });
    }
    return out;
  }

  async recover(): Promise<ContainerInfo[]> {
    // list() observes each container, and observing an exit records it (with the OOM verdict)
    return this.list();
  }

  async kill(id: string, options: KillOptions): Promise<void> {
    validateId(id);
    await stopContainer(this.#teardown, id, options);
  }

  async destroy(id: string, options: DestroyOptions = {}): Promise<void> {
    validateId(id);
    await removeContainer(this.#teardown, id, options.keepSandbox === true);
  }

  async readLogs(id: string, options: ReadLogsOptions): Promise<string> {
    const rec = await this.#record(id);
    return readLogFile(rec.logPath, options.stream, options.tail);
  }

  async exec(
    id: string,
    argv: readonly string[],
    options: ExecOptions = {},
  ): Promise<ChildProcessWithoutNullStreams> {
    const s = await this.state(id);
    if (s.status !== 'running') throw new ContainerNotRunningError(id, s.status);
    return spawnExec(this.#runc, id, argv, options);
  }

  async attach(id: string): Promise<Attachment> {
    const s = await this.state(id);
    if (s.status !== 'running' && s.status !== 'created') {
      throw new ContainerNotRunningError(id, s.status);
    }
    return connectAttach(containerPaths(this.#o.workDir, id).bundle, 'attach');
  }

  async stats(id: string): Promise<ContainerStats> {
    await this.#record(id);
    const reader = new CgroupReader(this.#mounts, cgroupsPath(this.#o.agentId, id));
    try {
      return { timestampMs: this.#o.clock.now(), ...(await reader.counters()) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new ContainerNotRunningError(id, 'its cgroup is gone');
      }
      throw e;
    }
  }
}
