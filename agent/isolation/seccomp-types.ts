// The vocabulary of a seccomp profile (Docker/Mesos JSON, mesos-features §8.1) and of the OCI
// `linux.seccomp` object runc reads (containers-here §2.3).

/**
 * SECCOMP_ACTIONS lists the actions a profile may use: what `runc features` lists here, minus
 * SCMP_ACT_NOTIFY, which needs a seccomp agent on a listener socket that Corral does not run.
 */
export const SECCOMP_ACTIONS = [
  'SCMP_ACT_ALLOW',
  'SCMP_ACT_ERRNO',
  'SCMP_ACT_KILL',
  'SCMP_ACT_KILL_PROCESS',
  'SCMP_ACT_KILL_THREAD',
  'SCMP_ACT_LOG',
  'SCMP_ACT_TRACE',
  'SCMP_ACT_TRAP',
] as const;

/** SeccompAction is what the kernel does when a rule (or no rule) matches a system call. */
export type SeccompAction = (typeof SECCOMP_ACTIONS)[number];

/** SECCOMP_OPERATORS lists the argument comparisons libseccomp offers. */
export const SECCOMP_OPERATORS = [
  'SCMP_CMP_NE',
  'SCMP_CMP_LT',
  'SCMP_CMP_LE',
  'SCMP_CMP_EQ',
  'SCMP_CMP_GE',
  'SCMP_CMP_GT',
  'SCMP_CMP_MASKED_EQ',
] as const;

/** SeccompOperator compares one system call argument. */
export type SeccompOperator = (typeof SECCOMP_OPERATORS)[number];

/**
 * SECCOMP_ARCHITECTURES lists the architectures a profile may name: the x86 family only, since
 * names are checked against the x86_64 table and this agent runs on x86_64.
 */
export const SECCOMP_ARCHITECTURES = [
  'SCMP_ARCH_X86_64',
  'SCMP_ARCH_X86',
  'SCMP_ARCH_X32',
] as const;

/** SeccompArch is one architecture the filter applies to. */
export type SeccompArch = (typeof SECCOMP_ARCHITECTURES)[number];

/**
 * DEFAULT_ARCHITECTURES is what a profile without architectures gets: the native ABI plus its
 * 32-bit ones, as Docker does, so a task cannot slip past the filter through `int 0x80`.
 */
export const DEFAULT_ARCHITECTURES: readonly SeccompArch[] = SECCOMP_ARCHITECTURES;

/** SeccompArg is one argument condition of a rule (all conditions of a rule must hold). */
export interface SeccompArg {
  readonly index: number;
  readonly value: number;
  readonly valueTwo?: number;
  readonly op: SeccompOperator;
}

/** SeccompRule applies an action to the named system calls, optionally only for some arguments. */
export interface SeccompRule {
  readonly names: readonly string[];
  readonly action: SeccompAction;
  readonly errnoRet?: number;
  readonly args?: readonly SeccompArg[];
}

/**
 * SeccompFilter is a validated profile: every name is a known x86_64 system call, every action
 * and operator is one runc accepts. `warnings` lists what is valid but will not do what it says
 * (a name too new for runc's libseccomp).
 */
export interface SeccompFilter {
  readonly defaultAction: SeccompAction;
  readonly defaultErrnoRet?: number;
  readonly architectures: readonly SeccompArch[];
  readonly rules: readonly SeccompRule[];
  readonly warnings: readonly string[];
}

/** OciSeccomp is the OCI runtime-spec `linux.seccomp` object. */
export interface OciSeccomp {
  defaultAction: SeccompAction;
  defaultErrnoRet?: number;
  architectures: SeccompArch[];
  syscalls: OciSeccompSyscall[];
}

/** OciSeccompSyscall is one entry of OCI `linux.seccomp.syscalls`. */
export interface OciSeccompSyscall {
  names: string[];
  action: SeccompAction;
  errnoRet?: number;
  args?: { index: number; value: number; valueTwo: number; op: SeccompOperator }[];
}

/** SeccompIssue is one problem found in a profile, at a JSON path such as `syscalls[2].names[0]`. */
export interface SeccompIssue {
  readonly path: string;
  readonly message: string;
}

/** SeccompProfileError lists every problem of a profile; the message names each path. */
export class SeccompProfileError extends Error {
  readonly issues: readonly SeccompIssue[];

  constructor(source: string, issues: readonly SeccompIssue[]) {
    const lines = issues.map(i => `${i.path === '' ? '(profile)' : i.path}: ${i.message}`);
    super(`invalid seccomp profile ${source}: ${lines.join('; ')}`);
    this.name = 'SeccompProfileError';
    this.issues = issues;
  }
}
