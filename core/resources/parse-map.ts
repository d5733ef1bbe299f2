// The simple map form: `{ cpus: "2", mem: "4Gi", ports: "31000-32000" }`, for unreserved resources
// and for quantities and limits.
import { ResourceParseError } from './parse-error.ts';
import { asObject } from './parse-util.ts';
import { inferValue } from './parse-values.ts';
import { ResourceLimits } from './limits.ts';
import { ResourceQuantities } from './quantities.ts';
import { parseQuantity, unitOf } from './quantity.ts';
import type { Resource } from './resource.ts';
import { validateResource } from './resource.ts';
import { Resources } from './resources.ts';
import type { Scalar } from './scalar.ts';

/**
 * parseResourceMap reads `{ name: value }` into unreserved resources. Values are quantities
 * (`2`, `500m`, `4Gi`; mem and disk in MB when bare), ranges (`31000-32000,33000` or
 * `[31000-32000]`), or sets (`{a,b}` or a list); `ports`, `cpus`, `mem`, `disk` and `gpus` have a
 * fixed type. Zero values are dropped. Throws a ResourceParseError naming the field.
 */
export function parseResourceMap(input: unknown, field = 'resources'): Resources {
  const list: Resource[] = [];
  for (const [name, raw] of Object.entries(asObject(input, field))) {
    const at = `${field}.${name}`;
    if (name === '') throw new ResourceParseError(at, 'resource name must not be empty');
    const r: Resource = {
      name,
      value: inferValue(name, raw, at),
      reservations: [],
      revocable: false,
      shared: false,
    };
    const bad = validateResource(r);
    if (bad !== undefined) throw new ResourceParseError(at, bad);
    list.push(r);
  }
  return Resources.from(list);
}

function scalars(input: unknown, field: string): [string, Scalar][] {
  return Object.entries(asObject(input, field)).map(([name, raw]) => {
    const at = `${field}.${name}`;
    if (name === '') throw new ResourceParseError(at, 'resource name must not be empty');
    return [name, parseQuantity(raw, { field: at, unit: unitOf(name) })];
  });
}

/**
 * parseQuantities reads `{ name: quantity }` into ResourceQuantities (missing = zero; zero values
 * dropped). Only scalar quantities are allowed: `ports: 3` means three ports.
 */
export function parseQuantities(input: unknown, field = 'quantities'): ResourceQuantities {
  return ResourceQuantities.from(scalars(input, field));
}

/**
 * parseLimits reads `{ name: quantity }` into ResourceLimits (missing = infinite; a zero limit is
 * kept and forbids the resource).
 */
export function parseLimits(input: unknown, field = 'limits'): ResourceLimits {
  return ResourceLimits.from(scalars(input, field));
}
