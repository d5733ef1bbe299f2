// Choosing the exact offered resources a task's map-form requests take. The offer controller
// picks them this way when it launches a task, and the SDK plans with the same function, so a
// framework predicts exactly what the controller will do.
import { assertNever } from '../util/assert-never.ts';
import { EMPTY_RANGES, rangesSubtract } from './ranges.ts';
import type { Resource, ResourceValue } from './resource.ts';
import { Resources } from './resources.ts';
import { scalarMin, scalarSub } from './scalar.ts';
import { EMPTY_SET, setSubtract } from './set.ts';

/** PickOptions tune pickResources. */
export interface PickOptions {
  /** revocable lets the task take revocable resources (REVOCABLE_RESOURCES frameworks). */
  readonly revocable?: boolean;
}

// Plain requests never take volumes, provider disks, shared resources, or a disk with a source:
// those come through volume mounts; a task's own disk is its ROOT sandbox.
function pickable(r: Resource): boolean {
  return r.disk === undefined && !r.shared && r.providerId === undefined;
}

// Reserved resources go first, the most refined first: they serve only this role's subtree,
// while unreserved ones serve everyone.
function preference(a: Resource, b: Resource): number {
  return b.reservations.length - a.reservations.length;
}

function isNothing(v: ResourceValue): boolean {
  switch (v.type) {
    case 'SCALAR':
      return v.scalar <= 0n;
    case 'RANGES':
      return v.ranges.length === 0;
    case 'SET':
      return v.set.length === 0;
    default:
      return assertNever(v, 'value type');
  }
}

// overlap is the part of `have` that serves `need`, or undefined when none does.
function overlap(have: ResourceValue, need: ResourceValue): ResourceValue | undefined {
  if (have.type === 'SCALAR' && need.type === 'SCALAR') {
    const scalar = scalarMin(have.scalar, need.scalar);
    return scalar > 0n ? { type: 'SCALAR', scalar } : undefined;
  }
  if (have.type === 'RANGES' && need.type === 'RANGES') {
    const ranges = rangesSubtract(need.ranges, rangesSubtract(need.ranges, have.ranges));
    return ranges.length > 0 ? { type: 'RANGES', ranges } : undefined;
  }
  if (have.type === 'SET' && need.type === 'SET') {
    const set = setSubtract(need.set, setSubtract(need.set, have.set));
    return set.length > 0 ? { type: 'SET', set } : undefined;
  }
  return undefined;
}

function less(need: ResourceValue, piece: ResourceValue): ResourceValue {
  if (need.type === 'SCALAR' && piece.type === 'SCALAR')
    return { type: 'SCALAR', scalar: scalarSub(need.scalar, piece.scalar) };
  if (need.type === 'RANGES' && piece.type === 'RANGES') {
    const ranges = rangesSubtract(need.ranges, piece.ranges);
    return { type: 'RANGES', ranges: ranges.length === 0 ? EMPTY_RANGES : ranges };
  }
  if (need.type === 'SET' && piece.type === 'SET') {
    const set = setSubtract(need.set, piece.set);
    return { type: 'SET', set: set.length === 0 ? EMPTY_SET : set };
  }
  throw new TypeError(`cannot take a ${piece.type} value from a ${need.type} request`);
}

// take covers `want` from `pool` in order, cutting the last piece; undefined if the pool is short.
function take(pool: readonly Resource[], want: ResourceValue): Resource[] | undefined {
  const out: Resource[] = [];
  let need = want;
  for (const r of pool) {
    if (isNothing(need)) break;
    const piece = overlap(r.value, need);
    if (piece === undefined) continue;
    out.push({ ...r, value: piece });
    need = less(need, piece);
  }
  return isNothing(need) ? out : undefined;
}

/**
 * pickResources chooses from `available` exact resources covering `requests` (unreserved, as a
 * task's map-form requests are), or undefined when they do not fit. Per name it takes
 * non-revocable resources, reserved before unreserved; revocable ones only when allowed and the
 * others fall short, and then only revocable ones (Mesos forbids mixing them in one name). Ports
 * and sets must be available exactly (`ports: "31000"` needs port 31000). The result is always
 * contained in `available`.
 */
export function pickResources(
  available: Resources,
  requests: Resources,
  opts: PickOptions = {},
): Resources | undefined {
  const candidates = available.toArray().filter(pickable).sort(preference);
  const picked: Resource[] = [];
  for (const want of requests) {
    const named = candidates.filter(r => r.name === want.name && r.value.type === want.value.type);
    const pools = [
      named.filter(r => !r.revocable),
      ...(opts.revocable === true ? [named.filter(r => r.revocable)] : []),
    ];
    const pieces = pools.map(pool => take(pool, want.value)).find(p => p !== undefined);
    if (pieces === undefined) return undefined;
    picked.push(...pieces);
  }
  return Resources.from(picked);
}
