// Cross-field rules of a Quota that a structural schema cannot state (mesos-features §1.6).
import type { StatusCause } from '../errors/index.ts';
import type { Scalar } from '../resources/index.ts';
import { formatScalar, validateRole } from '../resources/index.ts';
import type { QuantityMap } from '../types/resources.ts';
import type { QuotaSpec } from '../types/quota.ts';
import type { Site } from './causes.ts';
import { amounts, invalid } from './causes.ts';

// Mesos caps quota values (quota::validate, MESOS-10008: huge values crashed the master): mem and
// disk at 1 EiB expressed in MB, every other resource at 1e12. In milli-units.
const MILLI = 1000n;
const MAX_MEGABYTES = (1n << 40n) * MILLI;
const MAX_COUNT = 10n ** 12n * MILLI;

// parseCapped parses a quantity map and reports the values above Mesos's caps.
function parseCapped(site: Site, raw: QuantityMap | undefined): Map<string, Scalar> {
  const values = amounts(site, raw);
  for (const [name, value] of values) {
    const bytes = name === 'mem' || name === 'disk';
    const max = (bytes ? MAX_MEGABYTES : MAX_COUNT) as Scalar;
    if (value > max) {
      const detail = `must be at most ${formatScalar(max)}${bytes ? ' (1 EiB in MB)' : ''}`;
      site.out.push(invalid(`${site.field}.${name}`, raw?.[name], detail));
    }
  }
  return values;
}

/**
 * validateQuota checks a Quota spec as Mesos's UPDATE_QUOTA does before looking at the cluster:
 * the role is a valid top-level role; every value parses and stays under Mesos's caps; and each
 * guarantee is within its limit (an absent limit is infinite). Quantities are compared exactly,
 * in Mesos units, so `mem: 4096` and `mem: 4Gi` are equal. The checks that need cluster state
 * (limits below current consumption, guarantees above capacity) are the quota controller's.
 * The API server must call this in admission for every Quota create and update.
 */
export function validateQuota(spec: QuotaSpec): StatusCause[] {
  const out: StatusCause[] = [];
  const badRole = validateRole(spec.role);
  if (badRole !== undefined) out.push(invalid('spec.role', spec.role, badRole));
  else if (spec.role.includes('/')) {
    out.push(invalid('spec.role', spec.role, 'quota on a nested role is not supported'));
  }
  const guarantees = parseCapped({ out, field: 'spec.guarantees' }, spec.guarantees);
  const limits = parseCapped({ out, field: 'spec.limits' }, spec.limits);
  for (const [name, guarantee] of guarantees) {
    const limit = limits.get(name);
    if (limit !== undefined && guarantee > limit) {
      const shown = JSON.stringify(String(spec.limits?.[name]));
      const detail = `must not exceed the limit (spec.limits.${name}: ${shown})`;
      out.push(invalid(`spec.guarantees.${name}`, spec.guarantees?.[name], detail));
    }
  }
  return out;
}
