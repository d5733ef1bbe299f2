// Where a container's files live under the agent's work dir. Everything the runtime needs after
// an agent restart is on disk here, so a new runtime object over the same work dir finds it all.
import { join } from 'node:path';
import { ContainerSpecError } from './errors.ts';

/** SANDBOX_MOUNT is where the sandbox appears inside the container (Mesos's MESOS_SANDBOX). */
export const SANDBOX_MOUNT = '/mnt/mesos/sandbox';

/** LOG_FILE is the name of the conmon k8s-file log inside the sandbox. */
export const LOG_FILE = 'stdio.log';

// runc's own id rule is [\w+-.]+; we also forbid a leading dot so an id is never `.` or `..`.
const ID = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,127}$/;

/** validateId throws ContainerSpecError unless `id` is a safe runc id and directory name. */
export function validateId(id: string, field = 'id'): string {
  if (!ID.test(id)) {
    throw new ContainerSpecError(field, `"${id}" must match ${String(ID)}`);
  }
  return id;
}

/** ContainerPaths are the files of one container. */
export interface ContainerPaths {
  readonly dir: string;
  readonly record: string;
  readonly result: string;
  readonly bundle: string;
  readonly config: string;
  readonly attachSocket: string;
  readonly rootfs: string;
  readonly overlayUpper: string;
  readonly overlayWork: string;
  /** conmon's --persist-dir: it writes `exit` (the code) and `oom` here. */
  readonly conmonDir: string;
  readonly exitFile: string;
  readonly oomFile: string;
  readonly conmonPidFile: string;
  readonly containerPidFile: string;
  readonly etcDir: string;
  readonly defaultSandbox: string;
}

/** containersDir is the parent of every container's directory. */
export function containersDir(workDir: string): string {
  return join(workDir, 'containers');
}

/** containerPaths lays out `<workDir>/containers/<id>/`. */
export function containerPaths(workDir: string, id: string): ContainerPaths {
  const dir = join(containersDir(workDir), validateId(id));
  const bundle = join(dir, 'bundle');
  const conmonDir = join(dir, 'conmon');
  return {
    dir,
    record: join(dir, 'record.json'),
    result: join(dir, 'result.json'),
    bundle,
    config: join(bundle, 'config.json'),
    attachSocket: join(bundle, 'attach'),
    rootfs: join(dir, 'rootfs'),
    overlayUpper: join(dir, 'overlay', 'upper'),
    overlayWork: join(dir, 'overlay', 'work'),
    conmonDir,
    exitFile: join(conmonDir, 'exit'),
    // conmon writes `oom` both in the persist dir and in its working directory (the bundle)
    oomFile: join(conmonDir, 'oom'),
    conmonPidFile: join(dir, 'conmon.pid'),
    containerPidFile: join(dir, 'container.pid'),
    etcDir: join(dir, 'etc'),
    defaultSandbox: join(dir, 'sandbox'),
  };
}

/** cgroupsPath is the absolute runc cgroupsPath of a container (containers-here §1). */
export function cgroupsPath(agentId: string, id: string): string {
  return `/corral/${validateId(agentId, 'agentId')}/${validateId(id)}`;
}
