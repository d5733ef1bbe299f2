// What the operator-side planners share: the plan shape (Mesos's operator API answers 400 for an
// invalid request and 409 when the agent lacks the resources), availability, and the diagnosis
// that turns a 409 into a reason an operator can act on.
import type { Resource } from '../../../core/resources/index.ts';
import { Resources, reservationStacksEqual } from '../../../core/resources/index.ts';
import { intersect, stripVolume } from './conversions.ts';
import type { RuleContext } from './resource-rules.ts';
import type { AgentState } from './types.ts';

/** ChangeAction is the Mesos operation a step of an operator change is. */
export type ChangeAction =
  'RESERVE' | 'UNRESERVE' | 'CREATE' | 'DESTROY' | 'GROW_VOLUME' | 'SHRINK_VOLUME';

/** ChangeStep converts `consumed` into `converted` in the agent's model; each is authorized alone. */
export interface ChangeStep {
  readonly action: ChangeAction;
  readonly consumed: Resources;
  readonly converted: Resources;
}

/** MovedVolume is a Volume record a reservation update rewrites onto the new reservation stack. */
export interface MovedVolume {
  readonly name: string;
  readonly resource: Resource;
}

/**
 * ChangePlan is an accepted change (the steps, in order; the agent's total after them; whether
 * offers must be rescinded first, as Mesos does for operator operations; volumes moved along) or a
 * rejection: `Invalid` (HTTP 400 in Mesos) or `Conflict` (409: not enough available resources).
 */
export type ChangePlan =
  | {
      readonly ok: true;
      readonly steps: readonly ChangeStep[];
      readonly total: Resources;
      readonly rescind: boolean;
      readonly movedVolumes: readonly MovedVolume[];
    }
  | { readonly ok: false; readonly code: 'Invalid' | 'Conflict'; readonly reason: string };

/** invalid rejects a change as malformed. */
export function invalid(reason: string): ChangePlan {
  return { ok: false, code: 'Invalid', reason };
}

/** conflict rejects a change the agent's resources cannot carry. */
export function conflict(reason: string): ChangePlan {
  return { ok: false, code: 'Conflict', reason };
}

/** operatorRules is the rule context of an operator: no framework, no offer role. */
export function operatorRules(agent: AgentState): RuleContext {
  return { agent: { name: agent.name, capabilities: agent.capabilities } };
}

/** unused is what no task holds: where operator operations may take resources from. */
export function unused(agent: AgentState): Resources {
  return agent.total.subtract(Resources.sum(agent.tasks.map(t => t.resources)));
}

/**
 * accepted runs the steps over the agent's unused resources and accepts the change if each fits;
 * `rescind` says whether they only fit once outstanding offers are taken back. `diagnose` explains
 * a misfit.
 */
export function accepted(
  agent: AgentState,
  steps: readonly ChangeStep[],
  extras: {
    readonly movedVolumes?: readonly MovedVolume[];
    readonly diagnose: (need: Resources) => string;
  },
): ChangePlan {
  const run = (from: Resources): Resources | Resources[] => {
    let cur = from;
    for (const s of steps) {
      if (!cur.contains(s.consumed)) return [s.consumed];
      cur = cur.subtract(s.consumed).add(s.converted);
    }
    return cur;
  };
  const free = unused(agent);
  const after = run(free);
  if (Array.isArray(after)) return conflict(extras.diagnose(after[0] ?? Resources.EMPTY));
  const withoutOffers = run(free.subtract(agent.offered));
  let total = agent.total;
  for (const s of steps) total = total.subtract(s.consumed).add(s.converted);
  return {
    ok: true,
    steps,
    total,
    rescind: Array.isArray(withoutOffers),
    movedVolumes: extras.movedVolumes ?? [],
  };
}

// carvedFrom: a volume sits on reserved disk `r` when it has r's stack and was cut from r's disk.
function carvedFrom(volume: Resource, r: Resource): boolean {
  const disk = Resources.of(stripVolume(volume));
  return (
    reservationStacksEqual(volume.reservations, r.reservations) &&
    !intersect(Resources.of(r), disk).isEmpty()
  );
}

// refines: resource `x` is reserved on top of `r`'s whole stack.
function refines(x: Resource, r: Resource): boolean {
  const depth = r.reservations.length;
  return (
    x.reservations.length > depth &&
    reservationStacksEqual(x.reservations.slice(0, depth), r.reservations)
  );
}

/**
 * diagnoseReserved explains why reserved resources `need` are not free on the agent: volumes sit
 * on them, a refinement (another Reservation than `self`) holds them, a task uses them, or there
 * is not enough of them.
 */
export function diagnoseReserved(agent: AgentState, need: Resources, self?: string): string {
  const wanted = need.toArray();
  const names = (list: readonly { name: string }[]) => list.map(x => x.name).join(', ');
  const volumes = agent.volumes.filter(v => wanted.some(r => carvedFrom(v.resource, r)));
  if (volumes.length > 0) return `reservation has volumes: ${names(volumes)}`;
  const refined = agent.reservations.filter(
    x => x.name !== self && x.resources.toArray().some(y => wanted.some(r => refines(y, r))),
  );
  if (refined.length > 0) return `reservation is refined by: ${names(refined)}`;
  const users = agent.tasks.filter(t => !intersect(t.resources, need).isEmpty());
  if (users.length > 0) return `reserved resources in use by task ${names(users)}`;
  return `insufficient resources: ${unused(agent).toString()} does not contain ${need.toString()}`;
}

/** volumeUsers names the tasks that hold a volume. */
export function volumeUsers(agent: AgentState, volume: Resource): string[] {
  return agent.tasks.filter(t => t.resources.contains(Resources.of(volume))).map(t => t.name);
}
