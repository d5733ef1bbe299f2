// create(), step by step: (1) check the spec and that the id is free, (2) write the record, (3)
// build the rootfs, (4) write config.json, (5) start conmon, which runs `runc create`. A failure
// after (2) tears down what was built (the sandbox stays, as Mesos keeps failed sandboxes).
import { chown, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../core/util/clock.ts';
import type { CgroupPolicy } from './cgroup-resources.ts';
import { launchConmon } from './conmon.ts';
import { readRecord, writeRecord } from './container-store.ts';
import { ContainerExistsError, ContainerSpecError } from './errors.ts';
import type { BundleLayout } from './oci-config.ts';
import { buildOciConfig, hostnameOf } from './oci-config.ts';
import type { ContainerPaths } from './paths.ts';
import { LOG_FILE, cgroupsPath, containerPaths } from './paths.ts';
import { mountOverlay, prepareSkeleton, writeEtcFiles } from './rootfs.ts';
import type { RuncCli } from './runc-cli.ts';
import type { ContainerSpec } from './types.ts';

/** LaunchContext is the runtime's configuration as create() needs it. */
export interface LaunchContext {
  readonly agentId: string;
  readonly workDir: string;
  readonly runc: RuncCli;
  readonly conmonPath: string;
  readonly clock: Clock;
  readonly policy: CgroupPolicy;
  readonly hostPaths: readonly string[];
  readonly logSizeMax?: number;
  readonly launchTimeoutMs: number;
  /** Undo a partial launch (destroy keeping the sandbox). */
  readonly teardown: (id: string) => Promise<void>;
}

async function isDir(p: string): Promise<boolean> {
  return stat(p).then(
    s => s.isDirectory(),
    () => false,
  );
}

async function checkSpec(ctx: LaunchContext, spec: ContainerSpec, paths: ContainerPaths) {
  if ((await readRecord(paths)) !== undefined || (await ctx.runc.state(spec.id)) !== undefined) {
    throw new ContainerExistsError(spec.id);
  }
  for (const [i, v] of (spec.volumes ?? []).entries()) {
    if (!(await stat(v.hostPath).catch(() => undefined))) {
      throw new ContainerSpecError(`volumes[${i}].hostPath`, `"${v.hostPath}" does not exist`);
    }
  }
  const sandbox = spec.sandboxDir ?? paths.defaultSandbox;
  // conmon splits `k8s-file:<path>` on ':'
  if (sandbox.includes(':')) throw new ContainerSpecError('sandboxDir', 'must not contain ":"');
  // a dry run of the builder rejects a bad spec before anything touches the host
  buildOciConfig(spec, layoutOf(ctx, paths, sandbox, { hostBinds: [], etcFiles: [] }));
  return sandbox;
}

type RootfsMounts = Pick<BundleLayout, 'hostBinds' | 'etcFiles'>;

function layoutOf(
  ctx: LaunchContext,
  paths: ContainerPaths,
  sandboxDir: string,
  rootfs: RootfsMounts,
): BundleLayout {
  const { agentId, policy } = ctx;
  return { agentId, rootfsPath: paths.rootfs, sandboxDir, ...rootfs, policy };
}

/** launch runs create() for `spec`; the container is left in `created`. */
export async function launch(ctx: LaunchContext, spec: ContainerSpec): Promise<void> {
  const paths = containerPaths(ctx.workDir, spec.id);
  const sandboxDir = await checkSpec(ctx, spec, paths);
  const ownSandbox = spec.sandboxDir === undefined;
  if (!ownSandbox && !(await isDir(sandboxDir))) {
    throw new ContainerSpecError('sandboxDir', `"${sandboxDir}" is not a directory`);
  }
  const logPath = join(sandboxDir, LOG_FILE);
  await writeRecord(paths, {
    id: spec.id,
    createdAt: new Date(ctx.clock.now()).toISOString(),
    sandboxDir,
    ownSandbox,
    logPath,
    rootfs: spec.rootfs.kind === 'host' ? 'skeleton' : 'overlay',
    cgroupsPath: cgroupsPath(ctx.agentId, spec.id),
    stdin: spec.stdin === true,
    annotations: { ...(spec.annotations ?? {}) },
  });
  try {
    for (const d of [paths.bundle, paths.conmonDir, sandboxDir]) {
      await mkdir(d, { recursive: true });
    }
    // as Mesos does, the task's user owns the sandbox the runtime made for it
    const user = spec.process.user;
    if (ownSandbox && user !== undefined) await chown(sandboxDir, user.uid, user.gid);
    let layout: BundleLayout;
    if (spec.rootfs.kind === 'host') {
      const hostBinds = await prepareSkeleton(paths.rootfs, ctx.hostPaths);
      layout = layoutOf(ctx, paths, sandboxDir, { hostBinds, etcFiles: [] });
    } else {
      await mountOverlay(spec.rootfs.path, paths);
      const etcFiles = await writeEtcFiles(paths, hostnameOf(spec), spec.network === 'own');
      layout = layoutOf(ctx, paths, sandboxDir, { hostBinds: [], etcFiles });
    }
    await writeFile(paths.config, JSON.stringify(buildOciConfig(spec, layout), null, 2));
    await launchConmon({
      conmonPath: ctx.conmonPath,
      runcPath: ctx.runc.bin,
      runcRoot: ctx.runc.root,
      id: spec.id,
      paths,
      logPath,
      stdin: spec.stdin === true,
      ...(ctx.logSizeMax === undefined ? {} : { logSizeMax: ctx.logSizeMax }),
      clock: ctx.clock,
      timeoutMs: ctx.launchTimeoutMs,
    });
  } catch (e) {
    await ctx.teardown(spec.id).catch(() => undefined);
    throw e;
  }
}
