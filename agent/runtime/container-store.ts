// The runtime's own on-disk memory of each container: record.json (written before conmon starts,
// so a container never exists without one) and result.json (its end, written once, so the exit
// code and OOM verdict survive `runc delete` removing the cgroup).
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import type { ContainerPaths } from './paths.ts';
import { containersDir } from './paths.ts';
import type { ExitStatus } from './types.ts';

/** ContainerRecord is what the runtime remembers about a container it created. */
export interface ContainerRecord {
  readonly id: string;
  readonly createdAt: string;
  readonly sandboxDir: string;
  /** The sandbox is the default one inside the container dir (so destroy may remove it). */
  readonly ownSandbox: boolean;
  readonly logPath: string;
  /** rootfs: the agent's shared skeleton, one of the container's own, or an image overlay. */
  readonly rootfs: 'shared-skeleton' | 'skeleton' | 'overlay';
  readonly cgroupsPath: string;
  readonly stdin: boolean;
  readonly annotations: Readonly<Record<string, string>>;
}

// write-then-rename, so a crash never leaves half a JSON document behind
async function writeJson(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(tmp, path);
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** writeRecord creates the container dir and its record. */
export async function writeRecord(paths: ContainerPaths, record: ContainerRecord): Promise<void> {
  await mkdir(paths.dir, { recursive: true });
  await writeJson(paths.record, record);
}

/** readRecord is the container's record, or undefined when there is none. */
export async function readRecord(paths: ContainerPaths): Promise<ContainerRecord | undefined> {
  return (await readJson(paths.record)) as ContainerRecord | undefined;
}

/** writeResult remembers how the container ended. */
export async function writeResult(paths: ContainerPaths, status: ExitStatus): Promise<void> {
  await writeJson(paths.result, status);
}

/** readResult is the remembered end, or undefined before the container was seen to exit. */
export async function readResult(paths: ContainerPaths): Promise<ExitStatus | undefined> {
  return (await readJson(paths.result)) as ExitStatus | undefined;
}

/** listContainerIds names every container directory under the work dir. */
export async function listContainerIds(workDir: string): Promise<string[]> {
  try {
    const entries = await readdir(containersDir(workDir), { withFileTypes: true });
    return entries
      .filter(e => e.isDirectory())
      .map(e => e.name)
      .sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** readPidFile is the pid in a pid file (runc's, conmon's), or undefined if none is there yet. */
export async function readPidFile(path: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(path, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}
