// The part of the OCI runtime-spec (config.json, v1.0.2 as runc 1.1.5 reads it) that Corral
// writes. Field names are the spec's; only what the builder sets is declared.

/**
 * OciSeccomp is OCI `linux.seccomp`, typed loosely (strings, readonly arrays) so that a filter from
 * the seccomp engine (`agent/isolation/seccomp*`) or a test literal fits without a conversion.
 */
export interface OciSeccomp {
  readonly defaultAction: string;
  readonly defaultErrnoRet?: number;
  readonly architectures?: readonly string[];
  readonly flags?: readonly string[];
  readonly syscalls?: readonly OciSeccompSyscall[];
}

/** OciSeccompSyscall is one rule of OCI `linux.seccomp.syscalls`. */
export interface OciSeccompSyscall {
  readonly names: readonly string[];
  readonly action: string;
  readonly errnoRet?: number;
  readonly args?: readonly {
    readonly index: number;
    readonly value: number;
    readonly valueTwo?: number;
    readonly op: string;
  }[];
}

/** OciMount is one entry of OCI `mounts`. */
export interface OciMount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

/** OciCpu is OCI `linux.resources.cpu` (cgroup v1: cpu.shares, cpu.cfs_quota_us/period_us). */
export interface OciCpu {
  shares?: number;
  quota?: number;
  period?: number;
}

/** OciMemory is OCI `linux.resources.memory`; `reservation` is the v1 soft limit, -1 unlimited. */
export interface OciMemory {
  limit?: number;
  reservation?: number;
}

/** OciDeviceRule is one OCI `linux.resources.devices` cgroup rule. */
export interface OciDeviceRule {
  allow: boolean;
  access: string;
  type?: string;
  major?: number;
  minor?: number;
}

/** OciResources is OCI `linux.resources`. */
export interface OciResources {
  devices: OciDeviceRule[];
  cpu?: OciCpu;
  memory?: OciMemory;
  pids?: { limit: number };
}

/** OciNamespace is one OCI `linux.namespaces` entry (a new namespace of that type). */
export interface OciNamespace {
  type: 'pid' | 'network' | 'ipc' | 'uts' | 'mount' | 'cgroup' | 'user';
}

/** OciCapabilities is OCI `process.capabilities`. */
export interface OciCapabilities {
  bounding: string[];
  effective: string[];
  permitted: string[];
}

/** OciProcess is OCI `process`. */
export interface OciProcess {
  terminal: false;
  user: { uid: number; gid: number; additionalGids?: number[] };
  args: string[];
  env: string[];
  cwd: string;
  capabilities: OciCapabilities;
  noNewPrivileges: boolean;
  oomScoreAdj?: number;
}

/** OciSpec is the whole config.json. */
export interface OciSpec {
  ociVersion: string;
  process: OciProcess;
  root: { path: string; readonly: boolean };
  hostname: string;
  mounts: OciMount[];
  annotations?: Record<string, string>;
  linux: {
    cgroupsPath: string;
    resources: OciResources;
    namespaces: OciNamespace[];
    seccomp?: OciSeccomp;
    maskedPaths: string[];
    readonlyPaths: string[];
  };
}
