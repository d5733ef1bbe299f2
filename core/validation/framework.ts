// Cross-field rules of a Framework (mesos-features §0.2, §1.5, §1.7).
import type { StatusCause } from '../errors/index.ts';
import type { FrameworkSpec } from '../types/framework.ts';
import { amounts, immutable, invalid } from './causes.ts';

/**
 * validateFramework checks what Mesos's SUBSCRIBE validation checks: more than one role needs the
 * MULTI_ROLE capability; suppressed roles are subscribed roles; every minimum allocatable
 * quantity parses. Corral also requires offer filters to name subscribed roles, since filters for
 * any other role could never apply. The API server must call this in admission for every
 * Framework create and update.
 */
export function validateFramework(spec: FrameworkSpec): StatusCause[] {
  const out: StatusCause[] = [];
  const roles = new Set(spec.roles);
  if (spec.roles.length > 1 && !(spec.capabilities ?? []).includes('MULTI_ROLE')) {
    out.push(
      invalid('spec.roles', spec.roles, 'more than one role needs the MULTI_ROLE capability'),
    );
  }
  (spec.suppressedRoles ?? []).forEach((role, i) => {
    if (!roles.has(role)) {
      out.push(invalid(`spec.suppressedRoles[${i}]`, role, 'must be one of spec.roles'));
    }
  });
  (spec.offerFilters ?? []).forEach((filter, i) => {
    const at = `spec.offerFilters[${i}]`;
    if (!roles.has(filter.role))
      out.push(invalid(`${at}.role`, filter.role, 'must be one of spec.roles'));
    (filter.minAllocatableResources ?? []).forEach((set, j) => {
      amounts({ out, field: `${at}.minAllocatableResources[${j}]` }, set);
    });
  });
  return out;
}

/**
 * validateFrameworkUpdate rejects what Mesos refuses to change on re-subscription or
 * UPDATE_FRAMEWORK: the principal. The API server must call it on every Framework update.
 */
export function validateFrameworkUpdate(old: FrameworkSpec, next: FrameworkSpec): StatusCause[] {
  return old.principal === next.principal ? [] : [immutable('spec.principal', next.principal)];
}
