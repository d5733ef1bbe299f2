// The agent's container runtime: runc for isolation, one conmon per container as its supervisor.
export type {
  Attachment,
  BindVolume,
  ContainerInfo,
  ContainerProcess,
  ContainerResources,
  ContainerRootfs,
  ContainerRuntime,
  ContainerSpec,
  ContainerState,
  ContainerStats,
  ContainerUser,
  DestroyOptions,
  ExecOptions,
  ExitStatus,
  KillOptions,
  LogStream,
  ReadLogsOptions,
} from './types.ts';
export type { OciSeccomp, OciSeccompSyscall, OciSpec } from './oci-spec.ts';
export type { RuntimeErrorReason } from './errors.ts';
export {
  ContainerExistsError,
  ContainerLaunchError,
  ContainerNotFoundError,
  ContainerNotRunningError,
  ContainerSpecError,
  RuntimeCommandError,
  RuntimeError,
  RuntimeUnavailableError,
} from './errors.ts';
export type { CgroupPolicy, CgroupSettings } from './cgroup-resources.ts';
export { cgroupSettings } from './cgroup-resources.ts';
export type { BundleLayout } from './oci-config.ts';
export { DEFAULT_CAPABILITIES, buildOciConfig } from './oci-config.ts';
export { readLogFile } from './logs.ts';
export { LOG_FILE, SANDBOX_MOUNT, cgroupsPath, containerPaths } from './paths.ts';
export { DEFAULT_HOST_PATHS } from './skeleton.ts';
export type { RuncRuntimeOptions } from './runc-runtime.ts';
export { RuncRuntime } from './runc-runtime.ts';
