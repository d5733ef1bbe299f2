// The agent's container runtime contract: what the task sync loop asks of containers, with no
// runc or conmon detail in it (runc-runtime.ts implements it).
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { EnvVar, NetworkMode, ResourceMap, TaskLimits } from '../../core/types/index.ts';
import type { OciSeccomp } from './oci-spec.ts';

/** ContainerUser is the numeric identity the process runs as (names are resolved by the caller). */
export interface ContainerUser {
  readonly uid: number;
  readonly gid: number;
  readonly additionalGids?: readonly number[];
}

/** ContainerProcess is the container's init process. `cwd` defaults to the sandbox. */
export interface ContainerProcess {
  readonly args: readonly string[];
  readonly env?: readonly EnvVar[];
  readonly cwd?: string;
  readonly user?: ContainerUser;
}

/**
 * ContainerRootfs is the container's `/`: `host` is the skeleton of read-only host binds for a task
 * without an image; `image` is an unpacked image (the directory holding `/bin`, `/etc`, ...) that
 * the runtime mounts as the lower layer of a per-container overlay, so the shared image is never
 * written; `readonly` makes the container's `/` read-only as well.
 */
export type ContainerRootfs =
  | { readonly kind: 'host' }
  | { readonly kind: 'image'; readonly path: string; readonly readonly?: boolean };

/**
 * ContainerResources are the Task's requests (`cpus`, `mem` of `spec.resources`; other names are
 * ignored) and limits (`"Infinity"` for none), turned into cgroup v1 settings as Mesos 1.10 does
 * (cgroup-resources.ts). `pids` overrides the runtime's default pids limit.
 */
export interface ContainerResources {
  readonly requests: ResourceMap;
  readonly limits?: TaskLimits;
  readonly pids?: number;
}

/**
 * BindVolume mounts a host path (a host directory, a persistent volume's directory, a sandbox
 * path) at `containerPath`; a relative `containerPath` is inside the sandbox, as in Mesos.
 */
export interface BindVolume {
  readonly hostPath: string;
  readonly containerPath: string;
  readonly readOnly?: boolean;
}

/** ContainerSpec is everything `create` needs; `id` is also the runc id and a directory name. */
export interface ContainerSpec {
  readonly id: string;
  readonly process: ContainerProcess;
  readonly rootfs: ContainerRootfs;
  readonly resources: ContainerResources;
  readonly network: NetworkMode;
  readonly hostname?: string;
  /** The filter to install; undefined runs unconfined. */
  readonly seccomp?: OciSeccomp;
  readonly volumes?: readonly BindVolume[];
  /** Host directory mounted at /mnt/mesos/sandbox; default `<workDir>/containers/<id>/sandbox`. */
  readonly sandboxDir?: string;
  /** Give the container a stdin pipe that `attach` writes to (else stdin is /dev/null). */
  readonly stdin?: boolean;
  /** Kept in the bundle's annotations, e.g. the Task's namespace/name. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** ExitStatus is how a container ended; `signal` is set when it was killed by one. */
export interface ExitStatus {
  readonly exitCode: number;
  readonly signal?: NodeJS.Signals;
  /** The kernel OOM killer killed a process of the container (REASON_CONTAINER_LIMITATION_MEMORY). */
  readonly oomKilled: boolean;
  readonly finishedAt?: string;
}

/** ContainerState is what a container is doing now. */
export type ContainerState =
  | { readonly status: 'created'; readonly pid: number }
  | { readonly status: 'running'; readonly pid: number }
  | ({ readonly status: 'exited' } & ExitStatus)
  | { readonly status: 'unknown'; readonly reason: string };

/** ContainerInfo is one container the runtime knows, as `list` and `recover` report it. */
export interface ContainerInfo {
  readonly id: string;
  readonly state: ContainerState;
  readonly sandboxDir: string;
  readonly logPath: string;
  readonly createdAt?: string;
  readonly annotations: Readonly<Record<string, string>>;
}

/** ContainerStats are cgroup counters; `memoryLimitBytes` is undefined when unlimited. */
export interface ContainerStats {
  readonly timestampMs: number;
  readonly cpuUsageNanos: bigint;
  readonly cpuUserNanos: bigint;
  readonly cpuSystemNanos: bigint;
  readonly cpuThrottledPeriods: number;
  readonly cpuThrottledNanos: bigint;
  readonly memoryUsageBytes: number;
  readonly memoryMaxUsageBytes: number;
  readonly memoryLimitBytes?: number;
  readonly memoryFailCount: number;
  readonly oomKills: number;
  readonly pids: number;
}

/** LogStream selects log lines by the stream the container wrote them to. */
export type LogStream = 'stdout' | 'stderr' | 'all';

/** ReadLogsOptions picks a stream and, with `tail`, only its last lines. */
export interface ReadLogsOptions {
  readonly stream: LogStream;
  readonly tail?: number;
}

/** KillOptions: `signal` (default SIGTERM) first, SIGKILL once `gracePeriodMs` has passed. */
export interface KillOptions {
  readonly gracePeriodMs: number;
  readonly signal?: NodeJS.Signals;
}

/** ExecOptions: a tty merges stderr into stdout; env entries are added to the container's. */
export interface ExecOptions {
  readonly tty?: boolean;
  readonly env?: readonly EnvVar[];
  readonly cwd?: string;
  readonly user?: ContainerUser;
}

/** DestroyOptions: keep the sandbox (with the log) for later inspection. */
export interface DestroyOptions {
  readonly keepSandbox?: boolean;
}

/**
 * Attachment is a live connection to a container's stdio: output written from now on, and (for a
 * container created with `stdin`) its stdin; ending `stdin` closes the container's stdin.
 */
export interface Attachment {
  readonly stdout: Readable;
  readonly stderr: Readable;
  readonly stdin: Writable;
  /** Disconnects; the container keeps running. */
  close(): void;
  /** Settles when the connection ends (the container exited, or close()). */
  readonly closed: Promise<void>;
}

/** ContainerRuntime runs the agent's containers; every method is safe to call after a restart. */
export interface ContainerRuntime {
  /** create writes the bundle and starts the supervisor; the container waits in `created`. */
  create(spec: ContainerSpec): Promise<void>;
  /** start runs a created container's process. */
  start(id: string): Promise<void>;
  /** state reports one container; throws ContainerNotFoundError for an unknown id. */
  state(id: string): Promise<ContainerState>;
  /** wait settles when the container has exited (or its state is unknown). */
  wait(id: string, signal?: AbortSignal): Promise<ContainerState>;
  /** list reports every container of this agent. */
  list(): Promise<ContainerInfo[]>;
  /** recover is `list` after an agent restart: it also records the end of containers that exited. */
  recover(): Promise<ContainerInfo[]>;
  /** kill stops a container (signal, grace, SIGKILL) and deletes it from runc; idempotent. */
  kill(id: string, options: KillOptions): Promise<void>;
  /** destroy kills if needed and removes the bundle, cgroups and work dir. */
  destroy(id: string, options?: DestroyOptions): Promise<void>;
  /** readLogs returns the container's logged output. */
  readLogs(id: string, options: ReadLogsOptions): Promise<string>;
  /** exec runs a command inside a running container as a child of the caller. */
  exec(
    id: string,
    argv: readonly string[],
    options?: ExecOptions,
  ): Promise<ChildProcessWithoutNullStreams>;
  /** attach connects to the container's stdio through its supervisor. */
  attach(id: string): Promise<Attachment>;
  /** stats reads the container's cgroup counters. */
  stats(id: string): Promise<ContainerStats>;
}
