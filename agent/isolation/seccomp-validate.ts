// Profile validation. runc checks actions but silently ignores unknown syscall names
// (containers-here §2.3), so a typo in a deny rule would leave the call allowed: every name is
// checked here, against the shipped x86_64 table, and every problem is reported with its path.
import type { Obj } from './seccomp-collect.ts';
import { checkKeys, Collector, isObj, join, oneOf, uint } from './seccomp-collect.ts';
import { libseccompMayIgnore, syscallNumber } from './seccomp-syscalls.ts';
import type {
  SeccompAction,
  SeccompArch,
  SeccompArg,
  SeccompFilter,
  SeccompOperator,
  SeccompRule,
} from './seccomp-types.ts';
import {
  DEFAULT_ARCHITECTURES,
  SECCOMP_ACTIONS,
  SECCOMP_ARCHITECTURES,
  SECCOMP_OPERATORS,
  SeccompProfileError,
} from './seccomp-types.ts';

const TOP_KEYS = ['defaultAction', 'defaultErrnoRet', 'architectures', 'archMap', 'syscalls'];
const RULE_KEYS = ['names', 'name', 'action', 'errnoRet', 'args', 'includes', 'excludes'];
const ARG_KEYS = ['index', 'value', 'valueTwo', 'op'];
// errno values travel in the low 16 bits of SECCOMP_RET_DATA.
const MAX_RET = 0xffff;

function takesRet(action: SeccompAction | undefined): boolean {
  return action === 'SCMP_ACT_ERRNO' || action === 'SCMP_ACT_TRACE';
}

// errnoRet / defaultErrnoRet: only the actions that return a value take one.
function retFor(
  field: { value: unknown; at: string },
  action: SeccompAction | undefined,
  c: Collector,
) {
  if (field.value === undefined) return undefined;
  if (!takesRet(action)) return c.add(field.at, 'only SCMP_ACT_ERRNO and TRACE take one');
  return uint(field.value, MAX_RET, field.at, c);
}

function architectures(o: Obj, c: Collector): SeccompArch[] {
  const { architectures: list, archMap } = o;
  if (list !== undefined && archMap !== undefined) {
    c.add('archMap', 'give either architectures or archMap, not both');
  }
  if (archMap !== undefined) return fromArchMap(archMap, c);
  if (list === undefined) return [...DEFAULT_ARCHITECTURES];
  if (!Array.isArray(list)) return c.add('architectures', 'must be a list') ?? [];
  const out = list.flatMap(
    (a, i) => oneOf(SECCOMP_ARCHITECTURES, a, `architectures[${i}]`, c) ?? [],
  );
  return out.length === 0 ? [...DEFAULT_ARCHITECTURES] : [...new Set(out)];
}

// Docker's archMap lists every platform; like Docker, keep only the native entry and its
// sub-architectures.
function fromArchMap(archMap: unknown, c: Collector): SeccompArch[] {
  if (!Array.isArray(archMap)) return c.add('archMap', 'must be a list') ?? [];
  for (const [i, entry] of archMap.entries()) {
    if (!isObj(entry) || entry['architecture'] !== 'SCMP_ARCH_X86_64') continue;
    const subs: unknown = entry['subArchitectures'] ?? [];
    if (!Array.isArray(subs))
      return c.add(`archMap[${i}].subArchitectures`, 'must be a list') ?? [];
    const out: SeccompArch[] = ['SCMP_ARCH_X86_64'];
    for (const [j, s] of subs.entries()) {
      const arch = oneOf(SECCOMP_ARCHITECTURES, s, `archMap[${i}].subArchitectures[${j}]`, c);
      if (arch !== undefined && !out.includes(arch)) out.push(arch);
    }
    return out;
  }
  return c.add('archMap', 'has no SCMP_ARCH_X86_64 entry') ?? [];
}

function names(o: Obj, at: string, c: Collector): string[] {
  const list: unknown = o['names'] ?? (o['name'] === undefined ? undefined : [o['name']]);
  if (o['names'] !== undefined && o['name'] !== undefined) {
    c.add(join(at, 'name'), 'give either name or names, not both');
  }
  if (!Array.isArray(list) || list.length === 0) {
    return c.add(join(at, 'names'), 'must be a non-empty list of syscall names') ?? [];
  }
  const out: string[] = [];
  for (const [i, n] of list.entries()) {
    const where = `${join(at, 'names')}[${i}]`;
    if (typeof n !== 'string' || syscallNumber(n) === undefined) {
      c.add(where, `unknown x86_64 system call ${JSON.stringify(n)}`);
    } else {
      if (libseccompMayIgnore(n)) {
        c.warnings.push(
          `${where}: ${n} is newer than runc's libseccomp 2.5.4; runc drops the rule`,
        );
      }
      out.push(n);
    }
  }
  return out;
}

function arg(x: unknown, at: string, c: Collector): SeccompArg | undefined {
  if (!isObj(x)) return c.add(at, 'must be an object {index, value, valueTwo?, op}');
  checkKeys(x, ARG_KEYS, at, c);
  const index = uint(x['index'], 5, join(at, 'index'), c);
  const value = uint(x['value'], Number.MAX_SAFE_INTEGER, join(at, 'value'), c);
  const op = oneOf<SeccompOperator>(SECCOMP_OPERATORS, x['op'], join(at, 'op'), c);
  const two = x['valueTwo'] ?? 0;
  const valueTwo = uint(two, Number.MAX_SAFE_INTEGER, join(at, 'valueTwo'), c);
  // valueTwo is the datum of MASKED_EQ and meaningless for every other operator.
  if (op !== 'SCMP_CMP_MASKED_EQ' && valueTwo !== 0 && valueTwo !== undefined) {
    c.add(join(at, 'valueTwo'), `only SCMP_CMP_MASKED_EQ uses valueTwo`);
  }
  if (index === undefined || value === undefined || op === undefined) return undefined;
  return valueTwo === undefined || valueTwo === 0
    ? { index, value, op }
    : { index, value, valueTwo, op };
}

function rule(x: unknown, at: string, c: Collector): SeccompRule | undefined {
  if (!isObj(x)) return c.add(at, 'must be an object {names, action, errnoRet?, args?}');
  checkKeys(x, RULE_KEYS, at, c);
  for (const k of ['includes', 'excludes']) {
    const cond = x[k];
    if (cond !== undefined && (!isObj(cond) || Object.keys(cond).length > 0)) {
      c.add(join(at, k), 'conditional rules (capabilities, kernel versions) are not supported');
    }
  }
  const ns = names(x, at, c);
  const action = oneOf(SECCOMP_ACTIONS, x['action'], join(at, 'action'), c);
  const errnoRet = retFor({ value: x['errnoRet'], at: join(at, 'errnoRet') }, action, c);
  const rawArgs = x['args'] ?? [];
  const args = Array.isArray(rawArgs)
    ? rawArgs.map((a, i) => arg(a, `${join(at, 'args')}[${i}]`, c))
    : [c.add(join(at, 'args'), 'must be a list')];
  if (action === undefined || args.some(a => a === undefined)) return undefined;
  return {
    names: ns,
    action,
    ...(errnoRet === undefined ? {} : { errnoRet }),
    ...(args.length === 0 ? {} : { args: args as SeccompArg[] }),
  };
}

/**
 * parseSeccompProfile validates a Docker/Mesos-style profile (`defaultAction`, `defaultErrnoRet`,
 * `architectures` or Docker's `archMap`, `syscalls: [{names | name, action, errnoRet?, args?}]`,
 * `comment` anywhere) into a SeccompFilter. Unknown syscall names, actions, operators and fields,
 * conditional rules (non-empty includes/excludes), and a filter that allows nothing are errors;
 * the thrown SeccompProfileError lists every one with its path. `source` names the profile in
 * the message.
 */
export function parseSeccompProfile(input: unknown, source = 'profile'): SeccompFilter {
  const c = new Collector();
  if (!isObj(input))
    throw new SeccompProfileError(source, [{ path: '', message: 'not an object' }]);
  checkKeys(input, TOP_KEYS, '', c);
  const defaultAction = oneOf(SECCOMP_ACTIONS, input['defaultAction'], 'defaultAction', c);
  const defaultErrnoRet = retFor(
    { value: input['defaultErrnoRet'], at: 'defaultErrnoRet' },
    defaultAction,
    c,
  );
  const archs = architectures(input, c);
  const raw = input['syscalls'] ?? [];
  const rules = Array.isArray(raw)
    ? raw.map((r, i) => rule(r, `syscalls[${i}]`, c))
    : [c.add('syscalls', 'must be a list')];
  const valid = rules.filter(r => r !== undefined);
  checkConflicts(rules, c);
  if (defaultAction !== undefined && !permissive(defaultAction) && !valid.some(allows)) {
    // runc then fails with "container process is already dead" (containers-here §2.3).
    c.add('syscalls', 'the profile allows no system call, so no process could even start');
  }
  if (c.issues.length > 0 || defaultAction === undefined)
    throw new SeccompProfileError(source, c.issues);
  return {
    defaultAction,
    ...(defaultErrnoRet === undefined ? {} : { defaultErrnoRet }),
    architectures: archs,
    rules: valid,
    warnings: c.warnings,
  };
}

// libseccomp keeps the first unconditional rule for a syscall and silently ignores a later one
// with another action (seen with runc 1.1.5 here), so such a profile does not do what it says.
function checkConflicts(rules: readonly (SeccompRule | undefined)[], c: Collector): void {
  const first = new Map<string, { at: number; rule: SeccompRule }>();
  for (const [i, r] of rules.entries()) {
    if (r === undefined || r.args !== undefined) continue;
    for (const [j, name] of r.names.entries()) {
      const prev = first.get(name);
      if (prev === undefined) first.set(name, { at: i, rule: r });
      else if (prev.rule.action !== r.action || prev.rule.errnoRet !== r.errnoRet) {
        c.add(
          `syscalls[${i}].names[${j}]`,
          `${name} already has a rule with another action at syscalls[${prev.at}]; ` +
            'runc would keep the first and ignore this one',
        );
      }
    }
  }
}

function permissive(a: SeccompAction): boolean {
  return a === 'SCMP_ACT_ALLOW' || a === 'SCMP_ACT_LOG';
}

function allows(r: SeccompRule): boolean {
  return permissive(r.action);
}
