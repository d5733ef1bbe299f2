// Choosing the exact offered resources a task's requests take. A Mesos framework names them in
// TaskInfo.resources; a Corral LAUNCH gives requests in the map form, so the engine picks them,
// deterministically, the way a careful framework would.
import type { Resource, ResourceValue } from '../../../core/resources/index.ts';
import {
  EMPTY_RANGES,
  EMPTY_SET,
  Resources,
  rangesSubtract,
  scalarMin,
  scalarSub,
  setSubtract,
} from '../../../core/resources/index.ts';
import { assertNever } from '../../../core/util/assert-never.ts';

// A task's plain requests never take volumes, provider disks or shared resources (those come
// through volume mounts), nor a disk with a source (a task's own disk is the ROOT sandbox).
function pickable(r: Resource): boolean {
  return r.disk === undefined && !r.shared && r.providerId === undefined;
}

// Reserved resources go first, the most refined first: they serve only this role (and its
// subtree), while unreserved ones serve everyone. Ties keep the canonical order.
function preference(a: Resource, b: Resource): number {
  return b.reservations.length - a.reservations.length;
}

// Take covers `want` from `pool` in order, cutting the last piece; undefined if the pool is short.
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
  if (need.type === 'SCALAR' && piece.type === 'SCALAR') {
    return { type: 'SCALAR', scalar: scalarSub(need.scalar, piece.scalar) };
  }
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

/**
 * pickResources chooses, from `available`, exact resources that cover `requests` (unreserved
 * requests in the map form), or returns undefined when they do not fit. Per resource name it
 * takes non-revocable resources, reserved before unreserved; revocable ones only when
 * `revocable` is allowed and the non-revocable ones fall short, and then only revocable ones,
 * since Mesos forbids a task to mix revocable and non-revocable resources of one name. The
 * result is always contained in `available`.
 */
export function pickResources(
  available: Resources,
  requests: Resources,
  revocable: boolean,
): Resources | undefined {
  const candidates = available.toArray().filter(pickable).sort(preference);
  const picked: Resource[] = [];
  for (const want of requests) {
    const named = candidates.filter(r => r.name === want.name && r.value.type === want.value.type);
    const pools = [
      named.filter(r => !r.revocable),
      ...(revocable ? [named.filter(r => r.revocable)] : []),
    ];
    const pieces = pools.map(pool => take(pool, want.value)).find(p => p !== undefined);
    if (pieces === undefined) return undefined;
    picked.push(...pieces);
  }
  return Resources.from(picked);
}
