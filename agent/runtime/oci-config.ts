// ContainerSpec → OCI config.json. Pure: every host fact (paths, host binds, the cgroup policy)
// comes in through BundleLayout, so the unit tests can check the whole document.
import { assertNever } from '../../core/util/assert-never.ts';
import type { CgroupPolicy } from './cgroup-resources.ts';
import { cgroupSettings } from './cgroup-resources.ts';
import { ContainerSpecError } from './errors.ts';
import { buildMounts } from './mounts.ts';
import type { OciNamespace, OciProcess, OciSpec } from './oci-spec.ts';
import { SANDBOX_MOUNT, cgroupsPath } from './paths.ts';
import type { ContainerProcess, ContainerSpec } from './types.ts';

/**
 * DEFAULT_CAPABILITIES is Docker's default set. CAP_SYS_RESOURCE is absent on purpose: this
 * host's bounding set lacks it and runc fails with "unable to apply caps" (containers-here §1).
 */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

/** DEFAULT_PATH is the PATH a container gets when its env has none. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

// runc's defaults: hide kernel interfaces that leak host data or allow host changes.
const MASKED_PATHS = [
  '/proc/acpi',
  '/proc/asound',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
];
const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

/** BundleLayout is where things are on the host for one container. */
export interface BundleLayout {
  readonly agentId: string;
  /** The absolute directory runc uses as `/` (the skeleton or the overlay mount point). */
  readonly rootfsPath: string;
  readonly sandboxDir: string;
  readonly hostBinds: readonly string[];
  readonly etcFiles: readonly { readonly source: string; readonly destination: string }[];
  readonly policy: CgroupPolicy;
}

const ENV_NAME = /^[^=\0]+$/;
const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,62})$/;

function processEnv(proc: ContainerProcess): string[] {
  const env = new Map<string, string>([
    ['PATH', DEFAULT_PATH],
    ['MESOS_SANDBOX', SANDBOX_MOUNT],
  ]);
  (proc.env ?? []).forEach((e, i) => {
    if (!ENV_NAME.test(e.name)) {
      throw new ContainerSpecError(`process.env[${i}].name`, `"${e.name}" is not a variable name`);
    }
    env.set(e.name, e.value ?? '');
  });
  return [...env].map(([k, v]) => `${k}=${v}`);
}

function buildProcess(spec: ContainerSpec, oomScoreAdj: number | undefined): OciProcess {
  const proc = spec.process;
  if (proc.args.length === 0) throw new ContainerSpecError('process.args', 'must not be empty');
  const cwd = proc.cwd ?? SANDBOX_MOUNT;
  if (!cwd.startsWith('/')) throw new ContainerSpecError('process.cwd', 'must be absolute');
  const user = proc.user ?? { uid: 0, gid: 0 };
  const caps = [...DEFAULT_CAPABILITIES];
  return {
    terminal: false,
    user: {
      uid: user.uid,
      gid: user.gid,
      ...(user.additionalGids === undefined ? {} : { additionalGids: [...user.additionalGids] }),
    },
    args: [...proc.args],
    env: processEnv(proc),
    cwd,
    capabilities: { bounding: caps, effective: [...caps], permitted: [...caps] },
    noNewPrivileges: true,
    ...(oomScoreAdj === undefined ? {} : { oomScoreAdj }),
  };
}

/** namespacesFor: pid, ipc, uts and mount always; a network namespace only in `own` mode. */
export function namespacesFor(network: ContainerSpec['network']): OciNamespace[] {
  const ns: OciNamespace[] = [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }];
  switch (network) {
    case 'host':
      return ns;
    case 'own':
      // runc brings lo up in a namespace it creates (containers-here §2.4)
      return [...ns, { type: 'network' }];
    default:
      return assertNever(network, 'network mode');
  }
}

/** hostnameOf is the container's hostname: the spec's, or one made from its id. */
export function hostnameOf(spec: ContainerSpec): string {
  // a runc id may hold `_` and `+`, which a hostname may not
  return spec.hostname ?? spec.id.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 63);
}

/** buildOciConfig renders config.json for `spec` at `layout`. */
export function buildOciConfig(spec: ContainerSpec, layout: BundleLayout): OciSpec {
  const hostname = hostnameOf(spec);
  if (!HOSTNAME.test(hostname)) {
    throw new ContainerSpecError('hostname', `"${hostname}" is not a valid hostname`);
  }
  const cg = cgroupSettings(spec.resources, layout.policy);
  const annotations = { ...(spec.annotations ?? {}) };
  return {
    ociVersion: '1.0.2-dev',
    process: buildProcess(spec, cg.oomScoreAdj),
    root: {
      path: layout.rootfsPath,
      // the no-image skeleton is only mount points; an image root is writable unless asked
      readonly: spec.rootfs.kind === 'host' || spec.rootfs.readonly === true,
    },
    hostname,
    mounts: buildMounts({
      hostBinds: layout.hostBinds,
      etcFiles: layout.etcFiles,
      sandboxDir: layout.sandboxDir,
      volumes: spec.volumes ?? [],
    }),
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    linux: {
      cgroupsPath: cgroupsPath(layout.agentId, spec.id),
      resources: cg.resources,
      namespaces: namespacesFor(spec.network),
      ...(spec.seccomp === undefined ? {} : { seccomp: spec.seccomp }),
      maskedPaths: [...MASKED_PATHS],
      readonlyPaths: [...READONLY_PATHS],
    },
  };
}
