// create(), step by step: (1) check the spec and that the id is free, (2) write the record, (3)
// build the rootfs (the shared skeleton when the container fits it), (4) write config.json, (5)
// start conmon, which runs `runc create`. A failure after (2) tears down what was built (the
// sandbox stays, as Mesos keeps failed sandboxes). Nothing here runs runc itself: the id check
// looks at runc's state dir, so the only process a create starts is conmon.
import { chown, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../core/util/clock.ts';
import type { CgroupPolicy } from './cgroup-resources.ts';
import { launchConmon } from './conmon.ts';
import { readRecord, writeRecord } from './container-store.ts';
import type { ContainerRecord } from './container-store.ts';
import { ContainerExistsError, ContainerSpecError } from './errors.ts';
import type { BundleLayout } from './oci-config.ts';
import { buildOciConfig, hostnameOf } from './oci-config.ts';
import type { OciSpec } from './oci-spec.ts';
import type { ContainerPaths } from './paths.ts';
import { LOG_FILE, cgroupsPath, containerPaths } from './paths.ts';
import { mountOverlay, writeEtcFiles } from './rootfs.ts';
import type { RuncCli } from './runc-cli.ts';
import type { Skeleton } from './skeleton.ts';
import { fitsSkeleton, prepareSkeleton } from './skeleton.ts';
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
  /** sharedSkeleton is the agent's shared no-image skeleton, built on first use. */
  readonly sharedSkeleton: () => Promise<Skeleton>;
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
  const [record, known] = await Promise.all([readRecord(paths), ctx.runc.knows(spec.id)]);
  if (record !== undefined || known) throw new ContainerExistsError(spec.id);
  for (const [i, v] of (spec.volumes ?? []).entries()) {
    if (!(await stat(v.hostPath).catch(() => undefined))) {
      throw new ContainerSpecError(`volumes[${i}].hostPath`, `"${v.hostPath}" does not exist`);
    }
  }
  const sandbox = spec.sandboxDir ?? paths.defaultSandbox;
  // conmon splits `k8s-file:<path>` on ':'
  if (sandbox.includes(':')) throw new ContainerSpecError('sandboxDir', 'must not contain ":"');
  return sandbox;
}

// firstConfig renders the config before anything touches the host, so a bad spec is rejected
// first; for a no-image container it is over the shared skeleton, and is final if it fits there.
async function firstConfig(
  ctx: LaunchContext,
  spec: ContainerSpec,
  paths: ContainerPaths,
  sandboxDir: string,
): Promise<{ config: OciSpec; shared?: Skeleton }> {
  if (spec.rootfs.kind !== 'host') {
    const mounts = { hostBinds: [], etcFiles: [] };
    return { config: buildOciConfig(spec, layoutOf(ctx, paths.rootfs, sandboxDir, mounts)) };
  }
  const shared = await ctx.sharedSkeleton();
  const mounts = { hostBinds: shared.hostBinds, etcFiles: [] };
  return { config: buildOciConfig(spec, layoutOf(ctx, shared.rootfs, sandboxDir, mounts)), shared };
}

type RootfsMounts = Pick<BundleLayout, 'hostBinds' | 'etcFiles'>;

function layoutOf(
  ctx: LaunchContext,
  rootfsPath: string,
  sandboxDir: string,
  rootfs: RootfsMounts,
): BundleLayout {
  const { agentId, policy } = ctx;
  return { agentId, rootfsPath, sandboxDir, ...rootfs, policy };
}

// privateSkeletonConfig renders a no-image container that does not fit the shared skeleton over a
// skeleton of its own.
async function privateSkeletonConfig(
  ctx: LaunchContext,
  spec: ContainerSpec,
  paths: ContainerPaths,
  sandboxDir: string,
): Promise<OciSpec> {
  const own = await prepareSkeleton(paths.rootfs, ctx.hostPaths);
  const mounts = { hostBinds: own.hostBinds, etcFiles: [] };
  return buildOciConfig(spec, layoutOf(ctx, own.rootfs, sandboxDir, mounts));
}

async function imageConfig(
  ctx: LaunchContext,
  spec: ContainerSpec & { rootfs: { kind: 'image' } },
  paths: ContainerPaths,
  sandboxDir: string,
): Promise<OciSpec> {
  await mountOverlay(spec.rootfs.path, paths);
  const etcFiles = await writeEtcFiles(paths, hostnameOf(spec), spec.network === 'own');
  return buildOciConfig(spec, layoutOf(ctx, paths.rootfs, sandboxDir, { hostBinds: [], etcFiles }));
}

/** launch runs create() for `spec`; the container is left in `created`. */
export async function launch(ctx: LaunchContext, spec: ContainerSpec): Promise<void> {
  const paths = containerPaths(ctx.workDir, spec.id);
  const sandboxDir = await checkSpec(ctx, spec, paths);
  const first = await firstConfig(ctx, spec, paths, sandboxDir);
  const ownSandbox = spec.sandboxDir === undefined;
  if (!ownSandbox && !(await isDir(sandboxDir))) {
    throw new ContainerSpecError('sandboxDir', `"${sandboxDir}" is not a directory`);
  }
  const logPath = join(sandboxDir, LOG_FILE);
  const shared = first.shared !== undefined && fitsSkeleton(first.config, first.shared);
  const record: ContainerRecord = {
    id: spec.id,
    createdAt: new Date(ctx.clock.now()).toISOString(),
    sandboxDir,
    ownSandbox,
    logPath,
    rootfs: spec.rootfs.kind === 'image' ? 'overlay' : shared ? 'shared-skeleton' : 'skeleton',
    cgroupsPath: cgroupsPath(ctx.agentId, spec.id),
    stdin: spec.stdin === true,
    annotations: { ...(spec.annotations ?? {}) },
  };
  await writeRecord(paths, record);
  try {
    await Promise.all(
      [paths.bundle, paths.conmonDir, sandboxDir].map(d => mkdir(d, { recursive: true })),
    );
    // as Mesos does, the task's user owns the sandbox the runtime made for it
    const user = spec.process.user;
    if (ownSandbox && user !== undefined) await chown(sandboxDir, user.uid, user.gid);
    let config = first.config;
    if (spec.rootfs.kind === 'image') {
      config = await imageConfig(ctx, { ...spec, rootfs: spec.rootfs }, paths, sandboxDir);
    } else if (!shared) {
      config = await privateSkeletonConfig(ctx, spec, paths, sandboxDir);
    }
    await writeFile(paths.config, JSON.stringify(config, null, 2));
    await launchConmon({
      conmonPath: ctx.conmonPath,
      runcPath: ctx.runc.bin,
      runcRoot: ctx.runc.root,
      id: spec.id,
      paths,
      logPath,
      stdin: spec.stdin === true,
      ...(ctx.logSizeMax === undefined ? {} : { logSizeMax: ctx.logSizeMax }),
      timeoutMs: ctx.launchTimeoutMs,
    });
  } catch (e) {
    await ctx.teardown(spec.id).catch(() => undefined);
    throw e;
  }
}
