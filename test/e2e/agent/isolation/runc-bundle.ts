// Just enough runc for the isolation e2e tests: a busybox bundle in a temp dir, and a foreground
// `runc run` with the test's seccomp and mounts. Names carry the `crl-` prefix; every container
// is deleted after its run and the cgroup parent is removed by a fixture.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rmdir, symlink, copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { registerFixture } from '../../../helpers/fixtures.ts';

const exec = promisify(execFile);
const APPLETS = ['sh', 'ls', 'cat', 'echo', 'mkdir', 'touch', 'unshare', 'grep', 'true', 'id'];

/** RuncResult is what a foreground container printed and its exit code. */
export interface RuncResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
}

/** RunOptions: the command, and what the test changes in the default spec. */
export interface RunOptions {
  readonly args: readonly string[];
  readonly seccomp?: unknown;
  readonly mounts?: readonly unknown[];
}

/** Bundle is a busybox bundle whose containers share one cgroup parent. */
export interface Bundle {
  run(id: string, options: RunOptions): Promise<RuncResult>;
}

/** runcAvailable reports whether this machine can run the runc e2e tests (root and runc). */
export function runcAvailable(): boolean {
  return process.getuid?.() === 0 && existsSync('/usr/sbin/runc') && existsSync('/bin/busybox');
}

async function removeCgroups(parent: string): Promise<void> {
  for (const ctrl of await readdir('/sys/fs/cgroup')) {
    const dir = join('/sys/fs/cgroup', ctrl, parent);
    if (!existsSync(dir)) continue;
    for (const e of await readdir(dir, { withFileTypes: true })) {
      if (e.isDirectory()) await rmdir(join(dir, e.name)).catch(() => undefined);
    }
    await rmdir(dir).catch(() => undefined);
  }
}

/** makeBundle writes rootfs + config.json under `dir` (a temp dir the caller removes). */
export async function makeBundle(dir: string): Promise<Bundle> {
  const rootfs = join(dir, 'rootfs');
  for (const d of ['bin', 'proc', 'sys', 'dev', 'tmp', 'etc', 'data'])
    await mkdir(join(rootfs, d), { recursive: true });
  await copyFile('/bin/busybox', join(rootfs, 'bin', 'busybox'));
  for (const a of APPLETS) await symlink('busybox', join(rootfs, 'bin', a));
  await exec('runc', ['spec', '--bundle', dir]);
  const base = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as {
    process: Record<string, unknown>;
    mounts: unknown[];
    linux: Record<string, unknown>;
    root: Record<string, unknown>;
  };
  const parent = `crl-iso-${process.pid}-${Date.now().toString(36)}`;
  registerFixture(() => removeCgroups(parent));
  return {
    run: async (id, o) => {
      const config = structuredClone(base);
      config.process['terminal'] = false;
      config.process['args'] = o.args;
      config.linux['cgroupsPath'] = `/${parent}/${id}`;
      if (o.seccomp !== undefined) config.linux['seccomp'] = o.seccomp;
      config.mounts.push(...(o.mounts ?? []));
      await writeFile(join(dir, 'config.json'), JSON.stringify(config));
      try {
        return await runForeground(dir, id);
      } finally {
        await exec('runc', ['delete', '-f', id]).catch(() => undefined);
        await removeCgroups(parent);
      }
    },
  };
}

function runForeground(bundle: string, id: string): Promise<RuncResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('runc', ['run', '--bundle', bundle, id], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid;
    const unregister = registerFixture(async () => {
      if (pid !== undefined) process.kill(pid, 'SIGKILL');
      await exec('runc', ['delete', '-f', id]).catch(() => undefined);
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', code => {
      unregister();
      resolve({ stdout, stderr, code });
    });
  });
}
