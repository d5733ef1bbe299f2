// Role names and the role tree, exactly as Mesos's src/common/roles.cpp.
import { TextMemo } from './memo.ts';

/** DEFAULT_ROLE is `*`: the role of unreserved resources. Nothing can be reserved for it. */
export const DEFAULT_ROLE = '*';

// Mesos rejects tab, newline, vertical tab, form feed, carriage return, space and DEL (its message
// says "backspace or whitespace"; the list it checks is exactly this one). Other characters,
// including `\` and the remaining control characters, are allowed.
const INVALID_CHARACTERS = /[\t\n\v\f\r \x7f]/;

// Verdicts by role name: every resource of every write names its role (and reservation roles).
const ROLE_VERDICTS = new TextMemo<string | undefined>(1024);

/**
 * validateRole returns why a role name is invalid, or undefined when it is valid (Mesos
 * `roles::validate`). `*` is valid; otherwise the name is non-empty, neither starts nor ends with
 * `/`, has no `//`, and each `/`-separated component is not `.`, `..` or `*`, does not start with
 * `-` and contains no whitespace or DEL.
 */
export function validateRole(role: string): string | undefined {
  return role === DEFAULT_ROLE ? undefined : ROLE_VERDICTS.get(role, roleError);
}

function roleError(role: string): string | undefined {
  if (role === '') return 'Role names cannot be the empty string';
  if (role.startsWith('/')) return `Role '${role}' cannot start with a slash`;
  if (role.endsWith('/')) return `Role '${role}' cannot end with a slash`;
  if (role.includes('//')) return `Role '${role}' cannot contain two adjacent slashes`;
  for (const component of role.split('/')) {
    if (component === '.' || component === '..' || component === '*') {
      return `Role '${role}' cannot include '${component}' as a component`;
    }
    if (component.startsWith('-')) {
      return `Role component '${component}' is invalid because it starts with a dash`;
    }
    if (INVALID_CHARACTERS.test(component)) {
      return `Role component '${component}' is invalid because it contains backspace or whitespace`;
    }
  }
  return undefined;
}

/** isValidRole reports whether `validateRole` accepts the name. */
export function isValidRole(role: string): boolean {
  return validateRole(role) === undefined;
}

/**
 * isStrictSubroleOf reports whether `child` lies strictly below `ancestor` in the role tree:
 * `eng/ml` and `eng/ml/x` are below `eng`; `eng` itself and `engineering` are not.
 */
export function isStrictSubroleOf(child: string, ancestor: string): boolean {
  return (
    child.length > ancestor.length && child[ancestor.length] === '/' && child.startsWith(ancestor)
  );
}

/** isInRoleSubtree reports whether `role` is `root` or lies below it. */
export function isInRoleSubtree(role: string, root: string): boolean {
  return role === root || isStrictSubroleOf(role, root);
}

/** ancestors lists a role's ancestors nearest first: `a/b/c` → [`a/b`, `a`]; `a` → []. */
export function ancestors(role: string): string[] {
  const out: string[] = [];
  for (let i = role.length - 1; i >= 0; i--) if (role[i] === '/') out.push(role.slice(0, i));
  return out;
}

/** parent is a role's direct parent, or undefined for a top-level role. */
export function parent(role: string): string | undefined {
  const i = role.lastIndexOf('/');
  return i < 0 ? undefined : role.slice(0, i);
}
