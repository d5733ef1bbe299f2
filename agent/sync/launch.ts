// Everything before `runtime.create` for one Task, in Mesos's order: sandbox, fetch the URIs into
// it, pull the image (if any) and lease its view, prepare volumes (host paths under the whitelist,
// sandbox paths, persistent volumes), choose the seccomp filter, and assemble the ContainerSpec.
// Any failure here fails the launch (TASK_FAILED, REASON_CONTAINER_LAUNCH_FAILED); the caller
// releases the image lease, which is idempotent.
import { mkdir } from 'node:fs/promises';
import type { Volume } from '../../core/types/volume.ts';
import type { Task } from '../../core/types/task.ts';
import type { Fetcher } from '../fetcher/fetcher.ts';
import type { ImageStore } from '../images/index.ts';
import { imageProcess, resolveUser } from '../images/index.ts';
import type { VolumeDisk } from '../isolation/disk-monitor.ts';
import type { SeccompIsolator } from '../isolation/seccomp-select.ts';
import { prepareVolumes } from '../isolation/volumes-mounts.ts';
import type { PersistentVolumeStore } from '../isolation/volumes-store.ts';
import { containerPaths } from '../runtime/index.ts';
import type { ContainerProcess, ContainerRootfs, ContainerSpec } from '../runtime/types.ts';
import { TASK_ANNOTATION, TASK_UID_ANNOTATION, taskKey } from './names.ts';
import { commandArgv, taskEnv } from './task-process.ts';

/** LaunchDeps are the agent's pieces a launch uses. */
export interface LaunchDeps {
  readonly agentName: string;
  readonly workDir: string;
  readonly images: ImageStore;
  readonly fetcher: Fetcher;
  readonly seccomp: SeccompIsolator;
  readonly volumes: PersistentVolumeStore;
  /** lookupVolume reads a Volume object by name (undefined when there is none). */
  readonly lookupVolume: (name: string, signal: AbortSignal) => Promise<Volume | undefined>;
  readonly allowedHostPathParents: readonly string[];
}

/** PreparedTask is a container ready to create, and the persistent volumes it mounts. */
export interface PreparedTask {
  readonly container: ContainerSpec;
  readonly disks: readonly VolumeDisk[];
}

/** persistentVolumes finds the directories of the Task's persistent volumes on this agent. */
export async function persistentVolumes(
  deps: LaunchDeps,
  task: Task,
  signal: AbortSignal,
): Promise<Map<string, VolumeDisk>> {
  const out = new Map<string, VolumeDisk>();
  for (const v of task.spec.volumes ?? []) {
    const name = v.persistentVolume?.name;
    if (name === undefined || out.has(name)) continue;
    const vol = await deps.lookupVolume(name, signal);
    if (vol === undefined || vol.spec.agent !== deps.agentName) continue;
    // The Volume record is the source of truth (as Mesos's checkpointed resources are). Every
    // Volume reaches the agent as an Operation (a framework's CREATE with or without an id, an
    // operator's CREATE, a reservation update's move), which normally made the directory
    // already; making it here is the fallback for a task that starts before that Operation is
    // carried out. create() is idempotent. (A move that then finds this directory fails while
    // the task uses it, and replaces it only if it is still empty once no task does.)
    const [path = deps.volumes.pathOf(vol.spec.resource)] = await deps.volumes.create([
      vol.spec.resource,
    ]);
    out.set(name, { path, resource: vol.spec.resource });
  }
  return out;
}

/** LaunchTarget is the Task being launched, the id of its container and the pass's signal. */
export interface LaunchTarget {
  readonly task: Task;
  readonly containerId: string;
  readonly signal: AbortSignal;
}

async function processAndRootfs(
  deps: LaunchDeps,
  t: LaunchTarget,
): Promise<{ process: ContainerProcess; rootfs: ContainerRootfs }> {
  const { task, containerId, signal } = t;
  const { spec } = task;
  const env = taskEnv(task, deps.agentName);
  if (spec.image === undefined) {
    const user = spec.command?.user;
    return {
      process: {
        args: commandArgv(spec.command ?? {}),
        env,
        ...(user === undefined ? {} : { user: await resolveUser('/', user) }),
      },
      rootfs: { kind: 'host' },
    };
  }
  const { record, view } = await deps.images.acquire(spec.image, containerId, signal);
  const config = await deps.images.config(record.digest);
  const proc = imageProcess(config.defaults, spec.command, env);
  return {
    process: {
      args: proc.args,
      env: proc.env,
      cwd: proc.cwd,
      ...(proc.user === undefined ? {} : { user: await resolveUser(view.path, proc.user) }),
    },
    rootfs: { kind: 'image', path: view.path },
  };
}

/** prepareTask readies the host side of a Task's container and returns its spec. */
export async function prepareTask(deps: LaunchDeps, t: LaunchTarget): Promise<PreparedTask> {
  const { task, containerId, signal } = t;
  const { spec } = task;
  // 1. the sandbox, where the runtime would make it, so fetched files are there at start
  const sandboxDir = containerPaths(deps.workDir, containerId).defaultSandbox;
  await mkdir(sandboxDir, { recursive: true });
  // 2. the URIs
  const uris = spec.command?.uris ?? [];
  if (uris.length > 0) {
    const user = spec.command?.user;
    await deps.fetcher.fetch({
      uris,
      sandbox: sandboxDir,
      signal,
      ...(user === undefined ? {} : { user }),
    });
  }
  // 3. the image, or the host's binaries
  const { process, rootfs } = await processAndRootfs(deps, t);
  // 4. volumes
  const pvs = await persistentVolumes(deps, task, signal);
  const volumes = await prepareVolumes(spec.volumes ?? [], {
    sandboxDir,
    allowedHostParents: deps.allowedHostPathParents,
    persistentVolumePath: name => pvs.get(name)?.path,
  });
  // 5. seccomp
  const seccomp = await deps.seccomp.forTask(spec.seccomp);
  return {
    container: {
      id: containerId,
      process,
      rootfs,
      resources: {
        requests: spec.resources,
        ...(spec.limits === undefined ? {} : { limits: spec.limits }),
      },
      network: spec.networkMode ?? 'host',
      ...(seccomp.kind === 'filtered' ? { seccomp: seccomp.seccomp } : {}),
      volumes,
      annotations: {
        [TASK_ANNOTATION]: taskKey(task),
        [TASK_UID_ANNOTATION]: task.metadata.uid ?? '',
      },
    },
    disks: [...pvs.values()],
  };
}
