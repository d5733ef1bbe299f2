// An operator applying, editing or deleting a Reservation, as Mesos's RESERVE_RESOURCES and
// UNRESERVE_RESOURCES (with 1.10's reservation update, MESOS-9981, for a changed stack).
import type { Resource } from '../../../core/resources/index.ts';
import {
  ResourceParseError,
  Resources,
  parseResourceList,
  reservationAncestor,
  reservationStacksEqual,
} from '../../../core/resources/index.ts';
import type { Reservation } from '../../../core/types/index.ts';
import { stripVolume } from './conversions.ts';
import type { ChangePlan, ChangeStep, MovedVolume } from './operator-common.ts';
import {
  accepted,
  conflict,
  diagnoseReserved,
  invalid,
  operatorRules,
  unused,
  volumeUsers,
} from './operator-common.ts';
import { validateReserve } from './reserve-rules.ts';
import type { AgentState, VolumeView } from './types.ts';

function stacksOf(rs: Resources): Resource['reservations'][] {
  const out: Resource['reservations'][] = [];
  for (const r of rs)
    if (!out.some(s => reservationStacksEqual(s, r.reservations))) out.push(r.reservations);
  return out;
}

function sameStacks(a: Resources, b: Resources): boolean {
  const x = stacksOf(a);
  const y = stacksOf(b);
  return x.length === y.length && x.every(s => y.some(t => reservationStacksEqual(s, t)));
}

function insufficient(agent: AgentState): (need: Resources) => string {
  return need =>
    `insufficient resources: ${unused(agent).toString()} does not contain ${need.toString()}`;
}

function unreserveSteps(rs: Resources): ChangeStep[] {
  return rs.toArray().map(r => {
    const one = Resources.of(r);
    return { action: 'UNRESERVE', consumed: one, converted: one.popReservation() };
  });
}

// volumesOn picks the volumes a moving reservation carries: volumes on its stack, carved from one
// of its disks, in name order while they fit in that disk.
function volumesOn(agent: AgentState, src: Resources): VolumeView[] {
  const taken: VolumeView[] = [];
  for (const disk of src.named('disk')) {
    let room = Resources.of(disk);
    for (const v of agent.volumes) {
      const stripped = Resources.of(stripVolume(v.resource));
      if (!reservationStacksEqual(v.resource.reservations, disk.reservations)) continue;
      if (!room.contains(stripped) || taken.includes(v)) continue;
      taken.push(v);
      room = room.subtract(stripped);
    }
  }
  return taken;
}

// update is the 1.10 reservation update: pop the source down to the common ancestor, then push
// the target's entries; volumes on the reservation move with it, with their data.
function update(agent: AgentState, src: Resources, dst: Resources, self: string): ChangePlan {
  const mixed = (rs: Resources) => stacksOf(rs).length > 1;
  if (mixed(src))
    return invalid(`Invalid source: Mixed reservations are not supported ${src.toString()}`);
  if (mixed(dst))
    return invalid(`Invalid resources: Mixed reservations are not supported ${dst.toString()}`);
  const bad = validateReserve(dst, operatorRules(agent));
  if (bad !== undefined) return invalid(bad);
  const volumes = volumesOn(agent, src);
  for (const v of volumes) {
    const users = volumeUsers(agent, v.resource);
    if (users.length > 0) return conflict(`volume ${v.name} in use by task ${users.join(', ')}`);
  }
  const carved = Resources.sum(volumes.map(v => Resources.of(stripVolume(v.resource))));
  const moving = src.subtract(carved).add(Resources.from(volumes.map(v => v.resource)));
  const depth = reservationAncestor(src, dst).toArray()[0]?.reservations.length ?? 0;
  const target = dst.toArray()[0]?.reservations ?? [];
  const steps: ChangeStep[] = [];
  let cur = moving;
  while ((cur.toArray()[0]?.reservations.length ?? 0) > depth) {
    const next = cur.popReservation();
    steps.push({ action: 'UNRESERVE', consumed: cur, converted: next });
    cur = next;
  }
  for (const entry of target.slice(depth)) {
    const next = cur.pushReservation(entry);
    steps.push({ action: 'RESERVE', consumed: cur, converted: next });
    cur = next;
  }
  const movedVolumes: MovedVolume[] = volumes.map(v => ({
    name: v.name,
    resource: { ...v.resource, reservations: target },
  }));
  return accepted(agent, steps, {
    movedVolumes,
    diagnose: need => diagnoseReserved(agent, need, self),
  });
}

// resize changes the amounts under unchanged stacks: unreserve what went, reserve what came.
function resize(agent: AgentState, src: Resources, dst: Resources, self: string): ChangePlan {
  const added = dst.subtract(src);
  const removed = src.subtract(dst);
  if (!added.isEmpty()) {
    const bad = validateReserve(added, operatorRules(agent));
    if (bad !== undefined) return invalid(bad);
  }
  const steps: ChangeStep[] = [...unreserveSteps(removed)];
  if (!added.isEmpty())
    steps.push({ action: 'RESERVE', consumed: added.popReservation(), converted: added });
  const diagnose = (need: Resources) =>
    removed.contains(need) ? diagnoseReserved(agent, need, self) : insufficient(agent)(need);
  return accepted(agent, steps, { diagnose });
}

function parse(r: Reservation): Resources | string {
  try {
    return parseResourceList(r.spec.resources, 'spec.resources').unallocate();
  } catch (e) {
    if (e instanceof ResourceParseError) return e.message;
    throw e;
  }
}

/**
 * planReservationChange plans an operator's change to a Reservation on `agent`. Create: RESERVE
 * (one push, from what the stacks pop to). Delete: UNRESERVE (one pop each); a reservation with
 * volumes on it, refined by another, or used by a task is refused with that reason. Edit: a
 * changed stack over the same resources is Mesos 1.10's reservation update (pops to the common
 * ancestor, then pushes; the volumes on it move along, see `movedVolumes`); changed amounts
 * under the same stacks unreserve and reserve the difference; both at once are refused. A
 * `before` the agent never applied counts as absent.
 */
export function planReservationChange(
  before: Reservation | undefined,
  after: Reservation | undefined,
  agent: AgentState,
): ChangePlan {
  if (after !== undefined && after.spec.agent !== agent.name) {
    return invalid(`reservation is for agent ${after.spec.agent}, not ${agent.name}`);
  }
  if (before !== undefined && after !== undefined && before.spec.agent !== after.spec.agent) {
    return invalid(
      'spec.agent cannot change: delete the reservation and create it on the other agent',
    );
  }
  const self = before?.metadata.name ?? after?.metadata.name ?? '';
  const src = agent.reservations.find(
    v => before !== undefined && v.name === before.metadata.name,
  )?.resources;
  const dst = after === undefined ? undefined : parse(after);
  if (typeof dst === 'string') return invalid(dst);
  if (dst === undefined) {
    if (src === undefined) return accepted(agent, [], { diagnose: insufficient(agent) });
    return accepted(agent, unreserveSteps(src), {
      diagnose: need => diagnoseReserved(agent, need, self),
    });
  }
  if (src === undefined) {
    const bad = validateReserve(dst, operatorRules(agent));
    if (bad !== undefined) return invalid(bad);
    const steps: ChangeStep[] = [
      { action: 'RESERVE', consumed: dst.popReservation(), converted: dst },
    ];
    return accepted(agent, steps, { diagnose: insufficient(agent) });
  }
  if (src.equals(dst)) return accepted(agent, [], { diagnose: insufficient(agent) });
  if (src.toUnreserved().equals(dst.toUnreserved())) return update(agent, src, dst, self);
  if (sameStacks(src, dst)) return resize(agent, src, dst, self);
  return invalid('change either the amounts or the reservation stacks of a reservation, not both');
}
