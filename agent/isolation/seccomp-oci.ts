// A validated filter in the pure OCI form runc takes: no Docker-only keys (archMap, includes,
// comment), every optional field either set or absent, arguments with an explicit valueTwo.
import type { OciSeccomp, OciSeccompSyscall, SeccompFilter, SeccompRule } from './seccomp-types.ts';

function syscall(rule: SeccompRule): OciSeccompSyscall {
  const out: OciSeccompSyscall = { names: [...rule.names], action: rule.action };
  if (rule.errnoRet !== undefined) out.errnoRet = rule.errnoRet;
  if (rule.args !== undefined && rule.args.length > 0) {
    out.args = rule.args.map(a => ({
      index: a.index,
      value: a.value,
      valueTwo: a.valueTwo ?? 0,
      op: a.op,
    }));
  }
  return out;
}

/**
 * toOciSeccomp converts a validated filter to OCI `linux.seccomp`. Rules keep their order; a rule
 * with the default action and return value is dropped, since runc skips it anyway (it compares
 * the action with its return code).
 */
export function toOciSeccomp(filter: SeccompFilter): OciSeccomp {
  const out: OciSeccomp = {
    defaultAction: filter.defaultAction,
    architectures: [...filter.architectures],
    syscalls: filter.rules
      .filter(r => r.action !== filter.defaultAction || r.errnoRet !== filter.defaultErrnoRet)
      .map(syscall),
  };
  if (filter.defaultErrnoRet !== undefined) out.defaultErrnoRet = filter.defaultErrnoRet;
  return out;
}
