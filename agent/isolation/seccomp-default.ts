// The agent's default seccomp profile: allow by default, deny the calls that reach kernel-global
// state no container should touch. A deny list rather than Docker's allow list, so new harmless
// calls (and the ones glibc probes) keep working; the dangerous set is small and stable.
//
// runc installs the filter at the end of container init, after it has mounted the rootfs,
// pivoted and joined the namespaces, so denying mount, pivot_root, unshare and setns here does not
// stop runc; what runc still calls afterwards (capset, setresuid, prctl, close_range, execve) is
// left allowed.
import type { SeccompFilter } from './seccomp-types.ts';
import { parseSeccompProfile } from './seccomp-validate.ts';

const EPERM = 1;
const ENOSYS = 38;

// Each group is denied with EPERM; the comment says why a container must not have it.
const DENIED_GROUPS: readonly (readonly string[])[] = [
  // loading, unloading or replacing kernel code
  ['init_module', 'finit_module', 'delete_module', 'create_module', 'query_module'],
  ['get_kernel_syms', 'kexec_load', 'kexec_file_load', 'reboot'],
  // host-wide memory and devices
  ['swapon', 'swapoff', 'iopl', 'ioperm'],
  // the mount table: runc has built the container's before the filter is installed
  // (open_tree_attr is left out: runc's libseccomp cannot name it, see seccomp-syscalls.ts)
  ['mount', 'umount2', 'pivot_root', 'move_mount', 'open_tree', 'mount_setattr'],
  ['fsopen', 'fsconfig', 'fsmount', 'fspick'],
  // leaving or entering namespaces (clone flags are filtered below)
  ['unshare', 'setns'],
  // kernel introspection and other processes' memory
  ['bpf', 'perf_event_open', 'ptrace', 'process_vm_readv', 'process_vm_writev', 'kcmp'],
  ['lookup_dcookie', 'syslog', 'userfaultfd'],
  // the kernel keyring is not namespaced
  ['keyctl', 'add_key', 'request_key'],
  // the clocks are not namespaced
  ['settimeofday', 'clock_settime', 'clock_adjtime', 'adjtimex'],
  // host accounting, quotas and file handles that bypass the mount namespace ("shocker")
  ['acct', 'quotactl', 'quotactl_fd', 'open_by_handle_at'],
  // obsolete interfaces with a history of bugs
  ['uselib', 'ustat', 'sysfs', '_sysctl', 'nfsservctl', 'vhangup'],
];

// clone flags that create namespaces: CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID,
// NEWNET. Each bit gets its own rule because MASKED_EQ tests `(arg & mask) == datum` and one bit
// set is enough to deny.
const CLONE_NS_FLAGS = [
  0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000,
];

/**
 * DEFAULT_SECCOMP_PROFILE is the agent's built-in profile, as a Docker-style JSON document (an
 * operator can write it out and edit it). Default action ALLOW; kernel-global calls get EPERM;
 * clone with a namespace flag gets EPERM; clone3 (whose flags live in memory a filter cannot
 * read) and io_uring (a frequent source of kernel bugs) get ENOSYS so glibc and libuv fall back
 * to clone and epoll.
 */
export const DEFAULT_SECCOMP_PROFILE = {
  defaultAction: 'SCMP_ACT_ALLOW',
  architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
  syscalls: [
    { names: DENIED_GROUPS.flat(), action: 'SCMP_ACT_ERRNO', errnoRet: EPERM },
    ...CLONE_NS_FLAGS.map(flag => ({
      names: ['clone'],
      action: 'SCMP_ACT_ERRNO',
      errnoRet: EPERM,
      args: [{ index: 0, value: flag, valueTwo: flag, op: 'SCMP_CMP_MASKED_EQ' }],
    })),
    {
      names: ['clone3', 'io_uring_setup', 'io_uring_enter', 'io_uring_register'],
      action: 'SCMP_ACT_ERRNO',
      errnoRet: ENOSYS,
    },
  ],
} as const;

/** DEFAULT_SECCOMP_DENIED lists the calls the default profile always denies (for tests, docs). */
export const DEFAULT_SECCOMP_DENIED: readonly string[] = DENIED_GROUPS.flat();

/** defaultSeccompFilter is the built-in profile, validated like any other. */
export function defaultSeccompFilter(): SeccompFilter {
  return parseSeccompProfile(DEFAULT_SECCOMP_PROFILE, 'built-in default');
}
